use safewalk_server::{config::Config, serve};

#[tokio::main]
async fn main() {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("safewalk-server: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = serve(config).await {
        eprintln!("safewalk-server: {e}");
        std::process::exit(1);
    }
}

use safewalk_server::{cli, config::Config, serve, store::Store};

#[tokio::main]
async fn main() {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("safewalk-server: {e}");
            std::process::exit(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "people") {
        let store = match Store::open_pooled(&config.database_url, config.pg_pool).await {
            Ok(store) => store,
            Err(e) => {
                eprintln!("safewalk-server: {e}");
                std::process::exit(1);
            }
        };
        let base = config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr));
        let stdin = || {
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
            line
        };
        match cli::run(&store, &args[1..], &base, stdin).await {
            Ok(out) => println!("{out}"),
            Err(e) => {
                eprintln!("safewalk-server: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if !args.is_empty() {
        eprintln!("{}", cli::USAGE);
        std::process::exit(2);
    }
    if let Err(e) = serve(config).await {
        eprintln!("safewalk-server: {e}");
        std::process::exit(1);
    }
}

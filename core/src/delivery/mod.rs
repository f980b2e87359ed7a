pub mod port;
pub mod runner;
#[cfg(test)]
mod scenarios;
#[cfg(test)]
pub mod scripted;
pub mod transport;

use std::process::ExitCode;

use server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("doorstep: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    config.init_tracing();
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "doorstep could not run");
            eprintln!("doorstep: {error}");
            ExitCode::FAILURE
        }
    }
}

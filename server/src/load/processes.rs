//! Server processes for a load run: the real server binary, started on
//! loopback ports against one database, killed with SIGKILL and started
//! again on the same port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use super::client::Connection;
use super::LoadError;

/// How long a started process may take to answer its health check.
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Option<Child>,
}

pub struct Fleet {
    binary: PathBuf,
    database_url: String,
    pub processes: Vec<ServerProcess>,
}

/// A loopback port nobody listens on now.
fn free_port() -> Result<SocketAddr, LoadError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|error| LoadError::Setup(format!("no free port: {error}")))?;
    listener
        .local_addr()
        .map_err(|error| LoadError::Setup(error.to_string()))
}

impl Fleet {
    pub async fn start(
        binary: &Path,
        database_url: &str,
        count: usize,
    ) -> Result<Fleet, LoadError> {
        let mut fleet = Fleet {
            binary: binary.to_path_buf(),
            database_url: database_url.to_string(),
            processes: Vec::with_capacity(count),
        };
        for _ in 0..count {
            let addr = free_port()?;
            fleet.processes.push(ServerProcess { addr, child: None });
        }
        for index in 0..count {
            fleet.restart(index).await?;
        }
        Ok(fleet)
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.processes.iter().map(|p| p.addr).collect()
    }

    /// SIGKILL: no shutdown, no flushing, connections cut mid-request.
    pub async fn kill(&mut self, index: usize) {
        if let Some(mut child) = self.processes[index].child.take() {
            let _ = child.start_kill();
            let _ = child.wait().await;
        }
    }

    /// Starts the process on its port and waits until it answers.
    pub async fn restart(&mut self, index: usize) -> Result<(), LoadError> {
        let addr = self.processes[index].addr;
        let started = Instant::now();
        loop {
            let mut child = self.spawn(addr)?;
            match wait_until_healthy(addr, &mut child).await {
                Ok(()) => {
                    self.processes[index].child = Some(child);
                    return Ok(());
                }
                // The port may still be held for a moment by the killed process.
                Err(error) if started.elapsed() < START_TIMEOUT => {
                    tracing::debug!(%error, %addr, "server did not start; trying again");
                    let _ = child.start_kill();
                    let _ = child.wait().await;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(error) => {
                    let _ = child.start_kill();
                    return Err(error);
                }
            }
        }
    }

    fn spawn(&self, addr: SocketAddr) -> Result<Child, LoadError> {
        // DOORSTEP_LOAD_SERVER_LOG (a log filter) shows the servers' logs
        // (they write to standard output) when a run goes wrong.
        let log_filter = std::env::var("DOORSTEP_LOAD_SERVER_LOG").ok();
        let stdout = if log_filter.is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        Command::new(&self.binary)
            .env("DOORSTEP_ADDR", addr.to_string())
            .env("DATABASE_URL", &self.database_url)
            .env("DOORSTEP_DEMO_DATA", "false")
            .env("DOORSTEP_LOG", log_filter.as_deref().unwrap_or("error"))
            // The API needs no site files; the options only have to be readable.
            .env("LEPTOS_OUTPUT_NAME", "doorstep")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                LoadError::Setup(format!("cannot start {}: {error}", self.binary.display()))
            })
    }

    pub async fn stop_all(&mut self) {
        for index in 0..self.processes.len() {
            self.kill(index).await;
        }
    }
}

async fn wait_until_healthy(addr: SocketAddr, child: &mut Child) -> Result<(), LoadError> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut connection = Connection::new(addr);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(LoadError::Setup(format!(
                "the server on {addr} exited at start ({status})"
            )));
        }
        if let Ok(answer) = connection.get("/healthz").await {
            if answer.status.is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(LoadError::Setup(format!(
        "the server on {addr} did not answer its health check"
    )))
}

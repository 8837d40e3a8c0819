//! On PostgreSQL, every server process hears every process's committed
//! visit changes through LISTEN/NOTIFY and hands them to the boards it
//! serves. Nothing about the changes is kept in a process: one killed and
//! started again listens again, and its boards reload whole on reconnecting.

use std::time::Duration;

use app::store::dialect::VISIT_CHANGES_CHANNEL;
use app::store::Store;
use sqlx::postgres::PgListener;

/// Starts listening, and answers once it does (a change committed after
/// this returns is heard), then goes on until the process ends. A lost
/// connection is opened again, a second apart while the database is away;
/// the boards are told to reload whole, since what was notified meanwhile
/// is gone.
pub async fn start_listener(store: Store, url: String) -> Result<(), sqlx::Error> {
    let listener = listening(&url).await?;
    tokio::spawn(async move {
        let mut listener = Some(listener);
        loop {
            let error = match listener.take() {
                Some(listener) => relay(&store, listener).await,
                None => match listening(&url).await {
                    Ok(reopened) => {
                        store.relay_change(String::new());
                        listener = Some(reopened);
                        continue;
                    }
                    Err(error) => error,
                },
            };
            tracing::warn!(%error, "board change listener lost the database; retrying");
            store.relay_change(String::new());
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    Ok(())
}

async fn listening(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(VISIT_CHANGES_CHANNEL).await?;
    Ok(listener)
}

async fn relay(store: &Store, mut listener: PgListener) -> sqlx::Error {
    loop {
        // `None`: the connection dropped and sqlx reconnected (and listens
        // again); what was notified in between is lost.
        match listener.try_recv().await {
            Ok(Some(notification)) => store.relay_change(notification.payload().to_string()),
            Ok(None) => store.relay_change(String::new()),
            Err(error) => return error,
        }
    }
}

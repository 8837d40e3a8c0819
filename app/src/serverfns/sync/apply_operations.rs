use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::api::sync::{BatchAnswer, SentBatch};

/// The phone's waiting operations in one request, applied in the order
/// sent, each exactly as alone (`apply_operation`): its own once-only id,
/// every check of its action, its own answer. A refusal answers that
/// operation and the next go on, as they would one by one. The server
/// stops early, answering the prefix it applied, at its cap on a request
/// or at an operation it cannot apply now for reasons that say nothing
/// about the operation (the database gone, say); the phone sends the rest
/// again, and a repeat of an applied one is answered as the first.
#[server(prefix = "/api/sync", endpoint = "apply_batch", input = Json)]
pub async fn apply_operations(batch: SentBatch) -> Result<BatchAnswer, AppError> {
    use crate::api::sync::{AnsweredOperation, OperationAnswer, SyncAnswer, BATCH_MAX_OPERATIONS};
    use crate::domain::ids::RecordId;

    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    let technician = RecordId::parse("user", &user.id)?;
    let store = crate::context::store()?;
    let mut answers = Vec::with_capacity(batch.operations.len().min(BATCH_MAX_OPERATIONS));
    for operation in batch.operations.iter().take(BATCH_MAX_OPERATIONS) {
        let answer = match super::apply_operation::apply_sent(&store, &technician, operation).await
        {
            Ok(SyncAnswer::Applied) => OperationAnswer::Applied,
            Ok(SyncAnswer::Held(reason)) => OperationAnswer::Held(reason),
            Err(refusal) if refusal.settles_an_operation() => OperationAnswer::Refused(refusal),
            // Nothing applied yet: the request as a whole could not be
            // served, and says so the way a single operation would.
            Err(error) if answers.is_empty() => return Err(error),
            Err(error) => {
                tracing::warn!(
                    %error,
                    answered = answers.len(),
                    "batch stopped early; the phone sends the rest again"
                );
                break;
            }
        };
        answers.push(AnsweredOperation {
            operation_id: operation.operation_id.clone(),
            answer,
        });
    }
    Ok(BatchAnswer { answers })
}

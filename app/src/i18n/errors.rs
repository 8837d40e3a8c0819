//! The sentence each error is shown as, in the reader's language.

use super::Messages;
use crate::api::error::AppError;

impl AppError {
    /// The sentence a person reads, in their language.
    pub fn user_message(&self, messages: &'static Messages) -> String {
        match self {
            AppError::InvalidInput { message, .. } => {
                format!("{} {message}", messages.error_invalid_input)
            }
            AppError::Unauthorized => messages.error_unauthorized.to_string(),
            AppError::WrongCredentials => messages.error_wrong_credentials.to_string(),
            AppError::Forbidden => messages.error_forbidden.to_string(),
            AppError::TooManyAttempts {
                retry_after_seconds,
            } => (messages.error_too_many_attempts)(retry_after_seconds.div_ceil(60)),
            AppError::NotFound => messages.error_not_found.to_string(),
            AppError::Conflict { message } => format!("{} {message}", messages.error_conflict),
            AppError::NotReadyToFinish {
                missing_items,
                outcome_missing,
            } => {
                let mut text = messages.error_not_ready_to_finish.to_string();
                if !missing_items.is_empty() {
                    text.push_str(&(messages.checklist_items_open)(missing_items.len()));
                }
                if *outcome_missing {
                    text.push_str(messages.outcome_missing);
                }
                text
            }
            AppError::AssignmentRefused { reason } => (messages.assignment_refused)(reason),
            AppError::Unavailable | AppError::Busy { .. } | AppError::Transport(_) => {
                messages.error_unavailable.to_string()
            }
            AppError::TooLarge { max_bytes } => {
                (messages.error_too_large)(max_bytes.div_ceil(1024 * 1024))
            }
            AppError::Internal => messages.error_internal.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};

    #[test]
    fn an_unfinished_visit_says_what_is_open() {
        let error = AppError::NotReadyToFinish {
            missing_items: vec!["three_cloths".into(), "clean_up".into()],
            outcome_missing: true,
        };
        assert_eq!(error.status_code(), 409);
        assert_eq!(
            error.user_message(&ZH_CN),
            "还不能完成本次服务：还有 2 项必做项目未完成。尚未记录维修结果。"
        );
        assert_eq!(
            error.user_message(&EN),
            "The work cannot be finished yet: 2 required checklist items are open. No outcome is recorded."
        );
    }

    #[test]
    fn the_wait_is_told_in_whole_minutes() {
        let error = AppError::TooManyAttempts {
            retry_after_seconds: 61,
        };
        assert_eq!(
            error.user_message(&EN),
            "Too many attempts. Try again in 2 min."
        );
        assert_eq!(
            error.user_message(&ZH_CN),
            "尝试次数过多，请 2 分钟后再试。"
        );
    }

    #[test]
    fn user_messages_are_localised() {
        assert_eq!(AppError::Internal.user_message(&EN), EN.error_internal);
        assert_eq!(
            AppError::Internal.user_message(&ZH_CN),
            ZH_CN.error_internal
        );
        assert_ne!(
            AppError::Unavailable.user_message(&EN),
            AppError::Unavailable.user_message(&ZH_CN)
        );
    }
}

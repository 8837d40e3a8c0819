//! The sentence each error is shown as, in the reader's language.

use super::Messages;
use crate::api::error::AppError;

impl AppError {
    /// The sentence a person reads, in their language.
    pub fn user_message(&self, messages: &'static Messages) -> String {
        match self {
            // The English `message` is for API clients; the screen says
            // what is wrong in the reader's language, or asks for a check.
            AppError::InvalidInput {
                problem: Some(problem),
                ..
            } => (messages.error_input_problem)(problem),
            AppError::InvalidInput { problem: None, .. } => {
                messages.error_invalid_input.to_string()
            }
            AppError::Unauthorized => messages.error_unauthorized.to_string(),
            AppError::WrongCredentials => messages.error_wrong_credentials.to_string(),
            AppError::Forbidden => messages.error_forbidden.to_string(),
            AppError::TooManyAttempts {
                retry_after_seconds,
            } => (messages.error_too_many_attempts)(retry_after_seconds.div_ceil(60)),
            AppError::NotFound => messages.error_not_found.to_string(),
            AppError::Conflict { .. } => messages.error_conflict.to_string(),
            AppError::AlreadySettled => messages.error_already_settled.to_string(),
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
            AppError::AssignmentNeedsConfirmation { warnings } => {
                let mut text = messages.assignment_confirm_intro.to_string();
                for warning in warnings {
                    text.push_str(&(messages.assignment_warning)(warning));
                }
                text
            }
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

    #[test]
    fn input_errors_and_conflicts_read_in_one_language() {
        use crate::domain::validation::{Note, PhoneNumber};
        let empty = AppError::from(Note::parse("  ").unwrap_err());
        assert_eq!(empty.user_message(&ZH_CN), "输入有误：不能为空。");
        assert_eq!(
            empty.user_message(&EN),
            "Some input is not valid: it must not be empty."
        );
        let phone = AppError::from(PhoneNumber::parse("123").unwrap_err());
        assert_eq!(phone.user_message(&ZH_CN), "输入有误：格式不正确。");
        let conflict = AppError::Conflict {
            message: "the technician has already checked in".into(),
        };
        let unexplained = AppError::InvalidInput {
            field: "answer".into(),
            message: "expected done or not_applicable".into(),
            problem: None,
        };
        for error in [empty, phone, conflict, unexplained] {
            let chinese = error.user_message(&ZH_CN);
            assert!(
                !chinese.chars().any(|c| c.is_ascii_alphabetic()),
                "English in a Chinese sentence: {chinese}"
            );
        }
    }
}

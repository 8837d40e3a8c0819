//! The outbox: every change made on the device waits here, in the order it
//! was made, until the server has answered it. Pure bookkeeping, compiled
//! for the browser and the server, so the same rules are tested on both.
//!
//! The rules:
//! - Changes leave in the order they were made, one at a time: a check-in
//!   always reaches the server before the work it started.
//! - A change the server could not be reached for (no network, a lost
//!   answer, the server busy) stays at the head and is sent again, with the
//!   same operation id: the server applies each id once and answers a
//!   repeat with its first answer, so a resend is harmless.
//! - A change the server refused (bad input, a step out of order) leaves
//!   the queue for the refused list with the server's reason, for the
//!   technician to see; the changes after it go on. So does a change the
//!   server held for the dispatcher (the visit was cancelled or given to
//!   someone else meanwhile): kept there, never lost, and shown.
//! - After a failed attempt the next waits longer (1 s, 2 s, 4 s … at most
//!   5 minutes); any success or a returning network starts again at once.
//! - A server that says it is busy (503 with Retry-After) is not asked
//!   again before the time it gave, whatever else happens meanwhile.

use std::collections::VecDeque;
use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::api::sync::OperationAnswer;
use crate::domain::conflict::HeldReason;

/// A change made on the device, waiting for the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending<C> {
    /// UUIDv7 made on the device when the change was made.
    pub operation_id: String,
    /// The device's clock then.
    pub made_at_ms: i64,
    pub change: C,
}

/// A change the server did not apply, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refused<C> {
    pub pending: Pending<C>,
    pub reason: NotApplied,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NotApplied {
    /// Refused, with the server's reason.
    Refused(AppError),
    /// Kept on the server for the dispatcher to settle.
    Held(HeldReason),
}

/// What one attempt to deliver a change came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The server has it (now, or from an earlier attempt whose answer was
    /// lost).
    Applied,
    /// The server will never take it, for this reason.
    Refused(AppError),
    /// The server keeps it for the dispatcher.
    Held(HeldReason),
    /// No answer that settles it: try again later.
    Unreachable,
    /// The server is busy: try again, not before this many seconds.
    Busy { retry_after_seconds: u32 },
}

impl Delivery {
    /// Which answers settle a change, in one place. Not logged in keeps the
    /// change (it goes after the next login); so do the errors that say
    /// nothing about the change itself.
    pub fn of<T>(answer: &Result<T, AppError>) -> Delivery {
        match answer {
            Ok(_) => Delivery::Applied,
            Err(AppError::Busy {
                retry_after_seconds,
            }) => Delivery::Busy {
                retry_after_seconds: *retry_after_seconds,
            },
            Err(refusal) if refusal.settles_an_operation() => Delivery::Refused(refusal.clone()),
            Err(_) => Delivery::Unreachable,
        }
    }

    /// A batch's answer for one of its operations: applied, held for the
    /// dispatcher, or refused as `of` reads a refusal.
    pub fn of_answer(answer: OperationAnswer) -> Delivery {
        match answer {
            OperationAnswer::Applied => Delivery::Applied,
            OperationAnswer::Held(reason) => Delivery::Held(reason),
            OperationAnswer::Refused(refusal) => Delivery::of::<()>(&Err(refusal)),
        }
    }

    /// Whether the change is settled (it leaves the queue); otherwise the
    /// sending stops here and the change is sent again later.
    pub fn settles(&self) -> bool {
        !matches!(self, Delivery::Unreachable | Delivery::Busy { .. })
    }
}

/// What a batch's answers settled: how many changes left the queue, and
/// those the server applied, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Settled<C> {
    pub left: usize,
    pub applied: Vec<Pending<C>>,
}

const FIRST_RETRY_MS: i64 = 1_000;
const LONGEST_RETRY_MS: i64 = 5 * 60 * 1_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outbox<C> {
    waiting: VecDeque<Pending<C>>,
    refused: Vec<Refused<C>>,
    last_synced_ms: Option<i64>,
    failed_attempts: u32,
    /// Not before then: the server said it was busy. Absent in outboxes
    /// kept before it existed, which read back as "not busy".
    #[serde(default)]
    server_busy_until_ms: Option<i64>,
}

impl<C> Default for Outbox<C> {
    fn default() -> Self {
        Outbox {
            waiting: VecDeque::new(),
            refused: Vec::new(),
            last_synced_ms: None,
            failed_attempts: 0,
            server_busy_until_ms: None,
        }
    }
}

impl<C: Clone> Outbox<C> {
    pub fn push(&mut self, pending: Pending<C>) {
        self.waiting.push_back(pending);
    }

    /// The change to send next.
    pub fn head(&self) -> Option<Pending<C>> {
        self.waiting.front().cloned()
    }

    /// The changes to send next, oldest first: at most `max` of them.
    pub fn batch(&self, max: usize) -> Vec<Pending<C>> {
        self.waiting.iter().take(max).cloned().collect()
    }

    /// The changes not yet answered, oldest first.
    pub fn waiting(&self) -> impl Iterator<Item = &Pending<C>> {
        self.waiting.iter()
    }

    pub fn waiting_count(&self) -> usize {
        self.waiting.len()
    }

    pub fn refused(&self) -> &[Refused<C>] {
        &self.refused
    }

    /// When the server last took a change.
    pub fn last_synced_ms(&self) -> Option<i64> {
        self.last_synced_ms
    }

    /// Records the answers to a batch, in order, up to the first that does
    /// not settle its change; answers what left the queue.
    pub fn settle_all(&mut self, answers: Vec<(String, Delivery)>, now_ms: i64) -> Settled<C> {
        let mut settled = Settled {
            left: 0,
            applied: Vec::new(),
        };
        for (operation_id, delivery) in answers {
            let head = self.head();
            let (applied, settles) = (delivery == Delivery::Applied, delivery.settles());
            if self.settle(&operation_id, delivery, now_ms) {
                settled.left += 1;
                if applied {
                    settled.applied.extend(head);
                }
            }
            if !settles {
                break;
            }
        }
        settled
    }

    /// Records what came of sending `operation_id`. An answer for a change
    /// that is not at the head (a late answer to an earlier attempt) is
    /// ignored: the head is settled only by its own answer. Answers whether
    /// the change left the queue.
    pub fn settle(&mut self, operation_id: &str, delivery: Delivery, now_ms: i64) -> bool {
        if self.waiting.front().map(|p| p.operation_id.as_str()) != Some(operation_id) {
            return false;
        }
        let settles = delivery.settles();
        match delivery {
            Delivery::Applied => {
                self.waiting.pop_front();
                self.last_synced_ms = Some(now_ms);
                self.failed_attempts = 0;
                self.server_busy_until_ms = None;
            }
            Delivery::Refused(_) | Delivery::Held(_) => {
                let reason = match delivery {
                    Delivery::Held(held) => NotApplied::Held(held),
                    Delivery::Refused(error) => NotApplied::Refused(error),
                    _ => unreachable!("matched above"),
                };
                if let Some(pending) = self.waiting.pop_front() {
                    self.refused.push(Refused { pending, reason });
                }
                self.last_synced_ms = Some(now_ms);
                self.failed_attempts = 0;
                self.server_busy_until_ms = None;
            }
            Delivery::Unreachable => {
                self.failed_attempts = self.failed_attempts.saturating_add(1);
            }
            Delivery::Busy {
                retry_after_seconds,
            } => {
                self.failed_attempts = self.failed_attempts.saturating_add(1);
                self.server_busy_until_ms =
                    Some(now_ms.saturating_add(i64::from(retry_after_seconds) * 1_000));
            }
        }
        settles
    }

    /// The network came back, or the page became visible: try at once,
    /// unless the server asked for time.
    pub fn connection_returned(&mut self) {
        self.failed_attempts = 0;
    }

    /// How long the server asked the phone to wait from `now_ms` (0 when it
    /// did not, or the time has passed).
    pub fn server_wait_ms(&self, now_ms: i64) -> i64 {
        self.server_busy_until_ms
            .map_or(0, |until| until.saturating_sub(now_ms).max(0))
    }

    /// How long to wait before the next attempt; `None` when nothing waits.
    pub fn retry_in_ms(&self, now_ms: i64) -> Option<i64> {
        if self.waiting.is_empty() {
            return None;
        }
        let backoff = match self.failed_attempts {
            0 => 0,
            failed => FIRST_RETRY_MS
                .saturating_mul(1 << (failed - 1).min(20))
                .min(LONGEST_RETRY_MS),
        };
        Some(backoff.max(self.server_wait_ms(now_ms)))
    }

    /// The technician has read a refusal.
    pub fn dismiss_refused(&mut self, operation_id: &str) {
        self.refused
            .retain(|refused| refused.pending.operation_id != operation_id);
    }
}

/// Sends the waiting changes in order, a batch at a time, until one cannot
/// get through or none is left; answers how many were settled. `batch`
/// reads the changes to send next (the oldest, as many as one request
/// takes) and `settle` records a batch's answers (as
/// [`Outbox::settle_all`], answering how many left the queue) wherever the
/// outbox lives (a signal in the browser, a cell in tests), so changes made
/// while a send is under way join the queue behind it. `send` answers for
/// a prefix of its batch, in order: the server may stop early, and the rest
/// goes again in the next batch.
pub async fn flush<C, Send, Sent>(
    batch: impl Fn() -> Vec<Pending<C>>,
    settle: impl Fn(Vec<(String, Delivery)>) -> usize,
    mut send: Send,
) -> usize
where
    Send: FnMut(Vec<Pending<C>>) -> Sent,
    Sent: Future<Output = Vec<(String, Delivery)>>,
{
    let mut settled = 0;
    loop {
        let pending = batch();
        if pending.is_empty() {
            break;
        }
        let answers = send(pending).await;
        let stopped = answers.iter().any(|(_, delivery)| !delivery.settles());
        let left = settle(answers);
        settled += left;
        // Stopped, or nothing settled (sending the same batch again at
        // once would answer the same): the timer sends again later.
        if stopped || left == 0 {
            break;
        }
    }
    settled
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;

    fn pending(n: u32) -> Pending<u32> {
        Pending {
            operation_id: format!("op-{n}"),
            made_at_ms: i64::from(n),
            change: n,
        }
    }

    #[test]
    fn unreachable_keeps_the_head_and_backs_off_to_five_minutes() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.retry_in_ms(10), None);
        outbox.push(pending(1));
        assert_eq!(outbox.retry_in_ms(10), Some(0));
        let mut waits = Vec::new();
        for _ in 0..12 {
            outbox.settle("op-1", Delivery::Unreachable, 10);
            waits.push(outbox.retry_in_ms(10).unwrap());
        }
        assert_eq!(
            waits,
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300].map(|s| s * 1000)
        );
        assert_eq!(outbox.head(), Some(pending(1)));
        outbox.connection_returned();
        assert_eq!(outbox.retry_in_ms(10), Some(0));
        outbox.settle("op-1", Delivery::Applied, 20);
        assert_eq!(outbox.waiting_count(), 0);
        assert_eq!(outbox.last_synced_ms(), Some(20));
    }

    #[test]
    fn a_batchs_answers_settle_in_order_up_to_the_first_that_does_not() {
        let mut outbox = Outbox::default();
        for n in 1..=5 {
            outbox.push(pending(n));
        }
        assert_eq!(outbox.batch(3), vec![pending(1), pending(2), pending(3)]);
        let refused = AppError::Conflict {
            message: "no".into(),
        };
        let settled = outbox.settle_all(
            vec![
                ("op-1".into(), Delivery::Applied),
                ("op-2".into(), Delivery::Refused(refused)),
                ("op-3".into(), Delivery::Unreachable),
                // Not read: the sending stopped at op-3.
                ("op-4".into(), Delivery::Applied),
            ],
            9,
        );
        assert_eq!(
            settled,
            Settled {
                left: 2,
                applied: vec![pending(1)]
            }
        );
        assert_eq!(outbox.batch(10), vec![pending(3), pending(4), pending(5)]);
        assert_eq!(outbox.refused().len(), 1);
        assert_eq!(outbox.retry_in_ms(9), Some(1_000));
        // A late answer for a change no longer at the head settles nothing.
        let late = outbox.settle_all(vec![("op-1".into(), Delivery::Applied)], 10);
        assert_eq!(late.left, 0);
        assert_eq!(outbox.waiting_count(), 3);
    }

    #[test]
    fn a_busy_server_is_not_asked_again_before_the_time_it_gave() {
        let mut outbox = Outbox::default();
        outbox.push(pending(1));
        let busy = Delivery::of::<()>(&Err(AppError::Busy {
            retry_after_seconds: 30,
        }));
        assert_eq!(
            busy,
            Delivery::Busy {
                retry_after_seconds: 30
            }
        );
        assert!(!busy.settles());
        outbox.settle("op-1", busy, 1_000);
        assert_eq!(outbox.head(), Some(pending(1)), "kept, to send again");
        // Longer than the first back-off: the server's time wins.
        assert_eq!(outbox.retry_in_ms(1_000), Some(30_000));
        assert_eq!(outbox.retry_in_ms(21_000), Some(10_000));
        // The network returning or the page shown does not cut it short.
        outbox.connection_returned();
        assert_eq!(outbox.server_wait_ms(21_000), 10_000);
        assert_eq!(outbox.retry_in_ms(21_000), Some(10_000));
        assert_eq!(outbox.retry_in_ms(31_000), Some(0));
        // A short Retry-After never shortens the back-off of failed attempts.
        outbox.settle("op-1", Delivery::Unreachable, 31_000);
        outbox.settle("op-1", Delivery::Unreachable, 31_000);
        outbox.settle(
            "op-1",
            Delivery::Busy {
                retry_after_seconds: 1,
            },
            31_000,
        );
        assert_eq!(outbox.retry_in_ms(31_000), Some(4_000));
        outbox.settle("op-1", Delivery::Applied, 40_000);
        assert_eq!(outbox.server_wait_ms(40_000), 0);
    }

    #[test]
    fn an_outbox_kept_before_busy_answers_existed_reads_back() {
        let kept = r#"{"waiting":[{"operation_id":"op-1","made_at_ms":1,"change":1}],"refused":[],"last_synced_ms":null,"failed_attempts":2}"#;
        let outbox: Outbox<u32> = serde_json::from_str(kept).unwrap();
        assert_eq!(outbox.head(), Some(pending(1)));
        assert_eq!(outbox.server_wait_ms(0), 0);
    }

    #[test]
    fn a_refusal_is_kept_with_its_reason_and_the_rest_go_on() {
        let mut outbox = Outbox::default();
        outbox.push(pending(1));
        outbox.push(pending(2));
        let cancelled = AppError::Conflict {
            message: "visit cancelled".into(),
        };
        outbox.settle("op-1", Delivery::Refused(cancelled.clone()), 5);
        assert_eq!(outbox.head(), Some(pending(2)));
        assert_eq!(outbox.refused()[0].reason, NotApplied::Refused(cancelled));
        assert_eq!(outbox.refused()[0].pending, pending(1));
        outbox.settle("op-2", Delivery::Held(HeldReason::Reassigned), 6);
        assert_eq!(outbox.waiting_count(), 0);
        assert_eq!(
            outbox.refused()[1].reason,
            NotApplied::Held(HeldReason::Reassigned)
        );
        outbox.dismiss_refused("op-1");
        assert_eq!(outbox.refused().len(), 1);
        assert_eq!(outbox.refused()[0].pending, pending(2));
    }

    #[test]
    fn a_late_answer_for_another_change_settles_nothing() {
        let mut outbox = Outbox::default();
        outbox.push(pending(1));
        outbox.push(pending(2));
        outbox.settle("op-2", Delivery::Applied, 5);
        assert_eq!(outbox.waiting_count(), 2);
        assert_eq!(outbox.head(), Some(pending(1)));
    }

    #[test]
    fn answers_sort_into_settled_and_kept() {
        let ok: Result<(), AppError> = Ok(());
        assert_eq!(Delivery::of(&ok), Delivery::Applied);
        for kept in [
            AppError::Transport("offline".into()),
            AppError::Unavailable,
            AppError::Internal,
            AppError::Unauthorized,
        ] {
            let delivery = Delivery::of::<()>(&Err(kept));
            assert_eq!(delivery, Delivery::Unreachable);
            assert!(!delivery.settles());
        }
        let refused = AppError::Conflict {
            message: "the visit was cancelled".into(),
        };
        assert_eq!(
            Delivery::of::<()>(&Err(refused.clone())),
            Delivery::Refused(refused)
        );
        assert_eq!(
            Delivery::of_answer(OperationAnswer::Held(HeldReason::Cancelled)),
            Delivery::Held(HeldReason::Cancelled)
        );
        assert_eq!(
            Delivery::of_answer(OperationAnswer::Applied),
            Delivery::Applied
        );
        // A refusal the server did not mean as one keeps the operation.
        assert_eq!(
            Delivery::of_answer(OperationAnswer::Refused(AppError::Internal)),
            Delivery::Unreachable
        );
    }

    /// A server that applies each operation id once and answers a repeat
    /// with its first answer, as the real one does; it refuses changes
    /// divisible by 7.
    #[derive(Default)]
    struct Server {
        answers: HashMap<String, Delivery>,
        applied_in_order: Vec<u32>,
    }

    impl Server {
        fn apply(&mut self, pending: &Pending<u32>) -> Delivery {
            if let Some(first) = self.answers.get(&pending.operation_id) {
                return first.clone();
            }
            let answer = if pending.change.is_multiple_of(7) {
                Delivery::Refused(AppError::Conflict {
                    message: format!("{} refused", pending.change),
                })
            } else {
                self.applied_in_order.push(pending.change);
                Delivery::Applied
            };
            self.answers
                .insert(pending.operation_id.clone(), answer.clone());
            answer
        }

        /// The first `upto` of a batch, applied in order, each answered.
        fn apply_batch(&mut self, batch: &[Pending<u32>], upto: usize) -> Vec<(String, Delivery)> {
            batch
                .iter()
                .take(upto)
                .map(|pending| (pending.operation_id.clone(), self.apply(pending)))
                .collect()
        }
    }

    /// Runs a future whose every await is ready at once, as the fake
    /// transport's are.
    fn run<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut context) {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => panic!("the fake transport never waits"),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

        /// A few hundred changes made on the device while the connection
        /// flaps, sent in batches of varying size: requests lost on the
        /// way, answers lost on the way back, requests delivered twice,
        /// batches the server cut off after a prefix. When the network is
        /// back and the outbox empty, the server holds exactly the changes
        /// the device made, each once and in the order made, and the
        /// refused ones are on the device with their reasons. `bursts`:
        /// changes made between two attempts; `links`: what each send
        /// meets, in turn, and how much of its batch the server takes.
        #[test]
        fn flapping_connectivity_delivers_every_change_exactly_once_in_order(
            bursts in proptest::collection::vec(0u32..6, 100..140),
            links in proptest::collection::vec((0u8..10, 1usize..6), 64..512),
        ) {
            let outbox = RefCell::new(Outbox::<u32>::default());
            let server = RefCell::new(Server::default());
            let mut links = links.iter().copied().cycle();
            let mut made = 0u32;
            for burst in bursts {
                for _ in 0..burst {
                    made += 1;
                    outbox.borrow_mut().push(pending(made));
                }
                let (_, batch_size) = links.next().unwrap_or((9, 4));
                run(flush(
                    || outbox.borrow().batch(batch_size),
                    |answers| outbox.borrow_mut().settle_all(answers, 1).left,
                    |batch| {
                        let mut server = server.borrow_mut();
                        let (link, taken) = links.next().unwrap_or((9, 5));
                        let head = batch[0].operation_id.clone();
                        let unreachable = vec![(head, Delivery::Unreachable)];
                        let answers = match link {
                            // The request lost on the way: no network.
                            0..=2 => unreachable,
                            // The answer lost on the way back.
                            3 => {
                                server.apply_batch(&batch, taken);
                                unreachable
                            }
                            // The request delivered twice.
                            4 => {
                                server.apply_batch(&batch, taken);
                                server.apply_batch(&batch, batch.len())
                            }
                            // Cut off after a prefix.
                            5 => server.apply_batch(&batch, taken),
                            _ => server.apply_batch(&batch, batch.len()),
                        };
                        std::future::ready(answers)
                    },
                ));
            }
            // The network is back for good.
            run(flush(
                || outbox.borrow().batch(3),
                |answers| outbox.borrow_mut().settle_all(answers, 2).left,
                |batch| std::future::ready(server.borrow_mut().apply_batch(&batch, batch.len())),
            ));
            let outbox = outbox.into_inner();
            let server = server.into_inner();
            proptest::prop_assert_eq!(outbox.waiting_count(), 0);
            let expected: Vec<u32> = (1..=made).filter(|n| !n.is_multiple_of(7)).collect();
            proptest::prop_assert_eq!(&server.applied_in_order, &expected);
            let refused: Vec<u32> = outbox.refused().iter().map(|r| r.pending.change).collect();
            let expected_refused: Vec<u32> = (1..=made).filter(|n| n.is_multiple_of(7)).collect();
            proptest::prop_assert_eq!(refused, expected_refused);
            let all_refused_as_sent = outbox.refused().iter().all(|r| matches!(
                &r.reason,
                NotApplied::Refused(AppError::Conflict { message }) if message.ends_with("refused")
            ));
            proptest::prop_assert!(all_refused_as_sent);
        }
    }
}

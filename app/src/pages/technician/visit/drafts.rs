//! What is typed into the page's forms but not sent yet.

use leptos::prelude::*;

/// What the technician or the customer has put into a form but not sent.
/// The page keeps it, not the form: a sync landing in the background
/// redraws the record, and must not wipe a half-filled form or a signature.
/// Every answer starts unanswered: the outcome is the technician's to
/// choose, and the customer's answers are the customer's.
#[derive(Clone, Copy)]
pub(crate) struct Drafts {
    pub outcome_fixed: RwSignal<Option<bool>>,
    pub outcome_reason: RwSignal<String>,
    pub outcome_detail: RwSignal<String>,
    pub part: PartDraft,
    pub customer: CustomerAnswers,
    /// The checklist item whose "not applicable" form is open, and its reason.
    pub not_applicable: RwSignal<Option<String>>,
    pub not_applicable_reason: RwSignal<String>,
    /// A done item opened again to change its answer.
    pub reopened: RwSignal<Option<String>>,
    pub no_signature: NoSignatureDraft,
}

/// Closing without the customer's signature: the sheet open or not, which
/// of the two (nothing chosen for the technician) and what happened.
#[derive(Clone, Copy)]
pub(crate) struct NoSignatureDraft {
    pub open: RwSignal<bool>,
    pub why: RwSignal<Option<crate::domain::signoff::NoSignature>>,
    pub reason: RwSignal<String>,
}

impl NoSignatureDraft {
    fn new() -> NoSignatureDraft {
        NoSignatureDraft {
            open: RwSignal::new(false),
            why: RwSignal::new(None),
            reason: RwSignal::new(String::new()),
        }
    }

    pub fn clear(self) {
        self.open.set(false);
        self.why.set(None);
        self.reason.set(String::new());
    }
}

/// The part form: code, name, quantity, unit price in yuan, and why a part
/// in warranty is charged.
#[derive(Clone, Copy)]
pub(crate) struct PartDraft {
    pub code: RwSignal<String>,
    pub name: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub price: RwSignal<String>,
    pub reason: RwSignal<String>,
}

impl PartDraft {
    fn new() -> PartDraft {
        PartDraft {
            code: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            quantity: RwSignal::new("1".to_string()),
            price: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
        }
    }

    /// Empty again once a part is added, so a second tap adds nothing.
    pub fn clear(self) {
        self.code.set(String::new());
        self.name.set(String::new());
        self.quantity.set("1".to_string());
        self.price.set(String::new());
        self.reason.set(String::new());
    }

    /// Something to add: a code and a name at least.
    pub fn filled(self) -> bool {
        !self.code.with(|code| code.trim().is_empty())
            && !self.name.with(|name| name.trim().is_empty())
    }
}

/// The customer's answers on the sign-off screen; `None` until chosen.
#[derive(Clone, Copy)]
pub(crate) struct CustomerAnswers {
    pub says_fixed: RwSignal<Option<bool>>,
    pub arrival_confirmed: RwSignal<Option<bool>>,
    pub conduct_kept: [RwSignal<Option<bool>>; 4],
    pub ratings: [RwSignal<Option<u8>>; 5],
    pub strokes: RwSignal<Vec<Vec<(f32, f32)>>>,
    pub comment: RwSignal<String>,
    pub signer: RwSignal<Option<String>>,
    /// A submit found questions unanswered: they are marked from then on.
    pub tried: RwSignal<bool>,
}

impl CustomerAnswers {
    fn new() -> CustomerAnswers {
        CustomerAnswers {
            says_fixed: RwSignal::new(None),
            arrival_confirmed: RwSignal::new(None),
            conduct_kept: CONDUCT_RULES.map(|_| RwSignal::new(None)),
            ratings: RATING_DIMENSIONS.map(|_| RwSignal::new(None)),
            strokes: RwSignal::new(Vec::new()),
            comment: RwSignal::new(String::new()),
            signer: RwSignal::new(None),
            tried: RwSignal::new(false),
        }
    }

    /// Forgotten when the phone goes back to the technician unsigned: the
    /// technician never sees, keeps or changes the customer's answers.
    pub fn clear(self) {
        self.says_fixed.set(None);
        self.arrival_confirmed.set(None);
        for kept in self.conduct_kept {
            kept.set(None);
        }
        for rating in self.ratings {
            rating.set(None);
        }
        self.strokes.set(Vec::new());
        self.comment.set(String::new());
        self.signer.set(None);
        self.tried.set(false);
    }

    /// Whether the customer has chosen anything yet.
    pub fn touched(self) -> bool {
        self.says_fixed.with_untracked(Option::is_some)
            || self.arrival_confirmed.with_untracked(Option::is_some)
            || self
                .conduct_kept
                .iter()
                .any(|k| k.with_untracked(Option::is_some))
            || self
                .ratings
                .iter()
                .any(|r| r.with_untracked(Option::is_some))
            || self.strokes.with_untracked(|s| !s.is_empty())
    }
}

impl Drafts {
    pub fn new() -> Drafts {
        Drafts {
            outcome_fixed: RwSignal::new(None),
            outcome_reason: RwSignal::new(NOT_FIXED_REASONS[0].to_string()),
            outcome_detail: RwSignal::new(String::new()),
            part: PartDraft::new(),
            customer: CustomerAnswers::new(),
            not_applicable: RwSignal::new(None),
            not_applicable_reason: RwSignal::new(String::new()),
            reopened: RwSignal::new(None),
            no_signature: NoSignatureDraft::new(),
        }
    }

    pub fn clear(self) {
        self.outcome_fixed.set(None);
        self.outcome_reason.set(NOT_FIXED_REASONS[0].to_string());
        self.outcome_detail.set(String::new());
        self.part.clear();
        self.customer.clear();
        self.not_applicable.set(None);
        self.not_applicable_reason.set(String::new());
        self.reopened.set(None);
        self.no_signature.clear();
    }
}

pub(super) const NOT_FIXED_REASONS: [&str; 4] =
    ["parts_unavailable", "skill", "time_ran_out", "other"];

pub(super) const CONDUCT_RULES: [&str; 4] = [
    "no_arguing",
    "no_eating_drinking_smoking",
    "no_gifts",
    "no_extra_charges",
];
pub(super) const RATING_DIMENSIONS: [&str; 5] =
    ["skill", "attitude", "timeliness", "parts_supply", "overall"];

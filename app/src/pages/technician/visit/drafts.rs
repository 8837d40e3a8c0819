//! What is typed into the page's forms but not sent yet.

use leptos::prelude::*;

/// What the technician or the customer has put into a form but not sent.
/// The page keeps it, not the form: a sync landing in the background
/// redraws the record, and must not wipe a half-filled form or a signature.
#[derive(Clone, Copy)]
pub(crate) struct Drafts {
    pub outcome_fixed: RwSignal<bool>,
    pub outcome_reason: RwSignal<String>,
    pub outcome_detail: RwSignal<String>,
    pub customer_says_fixed: RwSignal<Option<bool>>,
    pub conduct_kept: [RwSignal<bool>; 4],
    pub ratings: [RwSignal<u8>; 5],
    pub strokes: RwSignal<Vec<Vec<(f32, f32)>>>,
    pub comment: RwSignal<String>,
    pub signer: RwSignal<Option<String>>,
}

impl Drafts {
    pub fn new() -> Drafts {
        Drafts {
            outcome_fixed: RwSignal::new(true),
            outcome_reason: RwSignal::new(NOT_FIXED_REASONS[0].to_string()),
            outcome_detail: RwSignal::new(String::new()),
            customer_says_fixed: RwSignal::new(None),
            conduct_kept: CONDUCT_RULES.map(|_| RwSignal::new(true)),
            ratings: RATING_DIMENSIONS.map(|_| RwSignal::new(5)),
            strokes: RwSignal::new(Vec::new()),
            comment: RwSignal::new(String::new()),
            signer: RwSignal::new(None),
        }
    }

    pub fn clear(self) {
        self.outcome_fixed.set(true);
        self.outcome_reason.set(NOT_FIXED_REASONS[0].to_string());
        self.outcome_detail.set(String::new());
        self.customer_says_fixed.set(None);
        for kept in self.conduct_kept {
            kept.set(true);
        }
        for rating in self.ratings {
            rating.set(5);
        }
        self.strokes.set(Vec::new());
        self.comment.set(String::new());
        self.signer.set(None);
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

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::visit::VisitStatus;
use crate::error::AppError;

/// What the customer gives on the sign-off screen, as sent: checked into
/// the domain's `SignOff` on the server, each bad field named.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignOffInput {
    pub signer_name: String,
    /// Strokes of points in CSS pixels of the pad.
    pub strokes: Vec<Vec<(f32, f32)>>,
    pub customer_says_fixed: bool,
    /// The five 1–5 ratings.
    pub skill: u8,
    pub attitude: u8,
    pub timeliness: u8,
    pub parts_supply: u8,
    pub overall: u8,
    /// The four prohibitions, confirmed kept (true) or reported broken.
    pub no_arguing: bool,
    pub no_eating_drinking_smoking: bool,
    pub no_gifts: bool,
    pub no_extra_charges: bool,
    /// Empty for none.
    pub comment: String,
}

/// The customer signs: the visit becomes `signed` and its record sealed.
#[server(prefix = "/api/visits", endpoint = "sign_off", input = Json)]
pub async fn sign_off_visit(
    operation_id: String,
    visit_id: String,
    sign_off: SignOffInput,
) -> Result<VisitStatus, AppError> {
    use super::{technician_step, TechnicianStep};
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    context::finish(
        async move {
            let TechnicianStep {
                technician,
                operation_id,
                visit_id,
            } = technician_step(&operation_id, &visit_id).await?;
            let signed = sign_off.check()?;
            context::store()?
                .sign_off(
                    &operation_id,
                    &visit_id,
                    &technician,
                    &signed,
                    Timestamp::now(),
                )
                .await
                .map_err(AppError::from)
        }
        .await,
    )
}

impl SignOffInput {
    /// The sign-off as the customer gave it, checked into the domain's
    /// `SignOff`: on the server, and on the phone before it is queued.
    pub fn check(&self) -> Result<crate::domain::signoff::SignOff, AppError> {
        use crate::domain::signoff::{ConductConfirmations, Ratings, Score, SignOff, Signature};
        use crate::domain::validation::{Note, PersonName, ValidationError};
        let input = self;
        Ok(SignOff {
            signer: PersonName::parse(&input.signer_name)
                .map_err(|error| ValidationError::new("signer_name", error.problem))?,
            signature: Signature::new(input.strokes.clone())?,
            customer_says_fixed: input.customer_says_fixed,
            ratings: Ratings {
                skill: Score::new("skill", input.skill)?,
                attitude: Score::new("attitude", input.attitude)?,
                timeliness: Score::new("timeliness", input.timeliness)?,
                parts_supply: Score::new("parts_supply", input.parts_supply)?,
                overall: Score::new("overall", input.overall)?,
            },
            conduct: ConductConfirmations {
                no_arguing: input.no_arguing,
                no_eating_drinking_smoking: input.no_eating_drinking_smoking,
                no_gifts: input.no_gifts,
                no_extra_charges: input.no_extra_charges,
            },
            comment: (!input.comment.trim().is_empty())
                .then(|| Note::parse(&input.comment))
                .transpose()
                .map_err(|error| ValidationError::new("comment", error.problem))?,
        })
    }
}

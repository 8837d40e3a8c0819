//! The whole record of a visit read back as one value, with its revisions
//! and whether it is still intact.

use super::*;

impl Store {
    /// Everything on the one-ticket service record of a visit.
    pub async fn visit_record(
        &self,
        visit_id: &RecordId,
    ) -> Result<Option<VisitRecord>, StoreError> {
        let Some(visit) = self.visit(visit_id).await? else {
            return Ok(None);
        };
        let id = visit_id.as_str();
        let missing = |what: &str| corrupt("visit", id, format!("its {what} is missing"));
        let work_order = self
            .work_order(&visit.work_order_id)
            .await?
            .ok_or_else(|| missing("work order"))?;
        let customer = self
            .customer(&work_order.customer_id)
            .await?
            .ok_or_else(|| missing("customer"))?;
        let appliance = self
            .appliance(&work_order.appliance_id)
            .await?
            .ok_or_else(|| missing("appliance"))?;
        let checklist = self
            .checklist_template(visit.checklist_version)
            .await?
            .ok_or_else(|| missing("checklist template"))?;
        let (technician_name, technician_card_number) = match &visit.technician_id {
            Some(technician) => {
                let row = sqlx::query(
                    "SELECT u.display_name, t.service_card_number FROM users u \
                     LEFT JOIN technicians t ON t.user_id = u.id WHERE u.id = $1",
                )
                .bind(technician.as_str())
                .fetch_optional(self.pool())
                .await?;
                match row {
                    Some(row) => (
                        Some(row.try_get::<String, _>("display_name")?),
                        row.try_get::<Option<String>, _>("service_card_number")?,
                    ),
                    None => (None, None),
                }
            }
            None => (None, None),
        };

        let mut answers = answers_of(&mut *self.pool().acquire().await?, id).await?;
        let position = |key: &str| checklist.items.iter().position(|item| item.key == key);
        answers.sort_by_key(|recorded| position(&recorded.item_key));

        let rows = sqlx::query(
            "SELECT id, part_code, part_name, quantity, unit_price_fen, charge_reason \
             FROM visit_parts \
             WHERE visit_id = $1 ORDER BY recorded_at_ms, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let parts = rows
            .iter()
            .map(|row| part_from_row(row, id))
            .collect::<Result<Vec<_>, _>>()?;

        let rows = sqlx::query(
            "SELECT id, fee_code, quantity, unit_amount_fen FROM visit_fees \
             WHERE visit_id = $1 ORDER BY charged_at_ms, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let fees = rows
            .iter()
            .map(|row| fee_from_row(row, id))
            .collect::<Result<Vec<_>, _>>()?;

        let sign_off = sqlx::query("SELECT * FROM sign_offs WHERE visit_id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|row| sign_off_from_row(&row, id))
            .transpose()?;
        let unsigned = sqlx::query("SELECT why, reason FROM unsigned_closes WHERE visit_id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|row| unsigned_from_row(&row, id))
            .transpose()?;
        let kept = sqlx::query(
            "SELECT seal_sha256, arrival_position_check, arrival_distance_m, arrival_flags, \
             arrival_verified FROM visits WHERE id = $1",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        let stored_seal: Option<String> = kept.try_get("seal_sha256")?;
        let arrival_check = crate::store::arrivals::kept_check(&kept)?;

        let revisions = self.revisions_of(id).await?;
        let mut record = VisitRecord {
            visit,
            work_order,
            customer,
            appliance,
            technician_name,
            checklist,
            answers,
            parts,
            fees,
            sign_off,
            unsigned,
            seal: None,
            revisions: Vec::new(),
            arrival_check,
            technician_card_number,
        };
        if let Some(sha256) = stored_seal {
            // Intact: the signed revision still hashes to the seal, and the
            // record as read is the latest revision (nothing changed it
            // outside the app). Records sealed before revisions were kept
            // are checked against the seal alone.
            let (live, _) = content_of(&record)?;
            let intact = match (revisions.first(), revisions.last()) {
                (Some((signed, _)), Some((_, latest_content))) => {
                    signed.intact && signed.sha256 == sha256 && *latest_content == live
                }
                _ => crate::hashing::sha256_hex(live.as_bytes()) == sha256,
            };
            record.seal = Some(SealCheck { sha256, intact });
        }
        record.revisions = revisions
            .into_iter()
            .map(|(revision, _)| revision)
            .collect();
        Ok(Some(record))
    }
}

impl Store {
    /// The revisions of a record with their stored content, oldest first.
    async fn revisions_of(
        &self,
        visit_id: &str,
    ) -> Result<Vec<(RecordRevision, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.revision, r.content_json, r.sha256, r.change, r.changed_at_ms, \
             u.display_name FROM visit_record_revisions r JOIN users u ON u.id = r.changed_by \
             WHERE r.visit_id = $1 ORDER BY r.revision",
        )
        .bind(visit_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let bad = |e: &dyn std::fmt::Display| corrupt("revision of visit", visit_id, e);
                let content: String = row.try_get("content_json")?;
                let sha256: String = row.try_get("sha256")?;
                let change: String = row.try_get("change")?;
                let revision = RecordRevision {
                    number: u32::try_from(row.try_get::<i64, _>("revision")?)
                        .map_err(|e| bad(&e))?,
                    intact: crate::hashing::sha256_hex(content.as_bytes()) == sha256,
                    sha256,
                    change: RecordChange::parse(&change)
                        .ok_or_else(|| bad(&format!("change {change:?}")))?,
                    changed_by: row.try_get("display_name")?,
                    changed_at: Timestamp::from_unix_millis(row.try_get("changed_at_ms")?),
                };
                Ok((revision, content))
            })
            .collect()
    }
}

pub(super) async fn answers_of(
    conn: &mut AnyConnection,
    visit_id: &str,
) -> Result<Vec<RecordedAnswer>, StoreError> {
    let rows = sqlx::query(
        "SELECT item_key, answer, answered_at_ms, note, photo_id, reason \
         FROM checklist_results WHERE visit_id = $1",
    )
    .bind(visit_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| answer_from_row(row, visit_id))
        .collect()
}

fn answer_from_row(row: &AnyRow, visit_id: &str) -> Result<RecordedAnswer, StoreError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("checklist result of visit", visit_id, e);
    let kind: String = row.try_get("answer")?;
    let at = Timestamp::from_unix_millis(row.try_get("answered_at_ms")?);
    let note: Option<String> = row.try_get("note")?;
    let photo: Option<String> = row.try_get("photo_id")?;
    let reason: Option<String> = row.try_get("reason")?;
    let answer = match kind.as_str() {
        "done" => ItemAnswer::Done {
            at,
            note: note
                .map(|n| Note::parse(&n))
                .transpose()
                .map_err(|e| bad(&e))?,
            photo: photo
                .map(|p| RecordId::parse("photo_id", &p))
                .transpose()
                .map_err(|e| bad(&e))?,
        },
        "not_applicable" => ItemAnswer::NotApplicable {
            at,
            reason: Note::parse(reason.as_deref().unwrap_or_default()).map_err(|e| bad(&e))?,
        },
        other => return Err(bad(&format!("answer {other:?}"))),
    };
    Ok(RecordedAnswer {
        item_key: row.try_get("item_key")?,
        answer,
    })
}

fn quantity(row: &AnyRow) -> Result<Quantity, ValidationError> {
    let value = row.try_get::<i64, _>("quantity").unwrap_or_default();
    Quantity::new(u32::try_from(value).unwrap_or(0))
}

fn part_from_row(row: &AnyRow, visit_id: &str) -> Result<PartUsed, StoreError> {
    let bad = |e: ValidationError| corrupt("part of visit", visit_id, e);
    Ok(PartUsed {
        id: RecordId::parse("id", &row.try_get::<String, _>("id")?).map_err(bad)?,
        code: PartCode::parse(&row.try_get::<String, _>("part_code")?).map_err(bad)?,
        name: PartName::parse(&row.try_get::<String, _>("part_name")?).map_err(bad)?,
        quantity: quantity(row).map_err(bad)?,
        unit_price: Money::from_fen("unit_price_fen", row.try_get("unit_price_fen")?)
            .map_err(bad)?,
        charge_reason: row
            .try_get::<Option<String>, _>("charge_reason")?
            .map(|reason| Note::parse(&reason))
            .transpose()
            .map_err(bad)?,
    })
}

fn fee_from_row(row: &AnyRow, visit_id: &str) -> Result<FeeCharge, StoreError> {
    let bad = |e: ValidationError| corrupt("fee of visit", visit_id, e);
    Ok(FeeCharge {
        id: RecordId::parse("id", &row.try_get::<String, _>("id")?).map_err(bad)?,
        code: FeeCode::parse(&row.try_get::<String, _>("fee_code")?).map_err(bad)?,
        quantity: quantity(row).map_err(bad)?,
        unit_amount: Money::from_fen("unit_amount_fen", row.try_get("unit_amount_fen")?)
            .map_err(bad)?,
    })
}

fn sign_off_from_row(row: &AnyRow, visit_id: &str) -> Result<SignOff, StoreError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("sign-off of visit", visit_id, e);
    let score = |column: &'static str| -> Result<Score, StoreError> {
        let value = row.try_get::<i32, _>(column)?;
        Score::new(column, u8::try_from(value).unwrap_or(0)).map_err(|e| bad(&e))
    };
    let signature: Signature =
        serde_json::from_str(&row.try_get::<String, _>("signature")?).map_err(|e| bad(&e))?;
    let comment: Option<String> = row.try_get("comment")?;
    Ok(SignOff {
        signer: PersonName::parse(&row.try_get::<String, _>("signer_name")?)
            .map_err(|e| bad(&e))?,
        signature,
        customer_says_fixed: flag(row, "customer_says_fixed")?,
        ratings: Ratings {
            skill: score("rating_skill")?,
            attitude: score("rating_attitude")?,
            timeliness: score("rating_timeliness")?,
            parts_supply: score("rating_parts_supply")?,
            overall: score("rating_overall")?,
        },
        conduct: ConductConfirmations {
            no_arguing: flag(row, "no_arguing")?,
            no_eating_drinking_smoking: flag(row, "no_eating_drinking_smoking")?,
            no_gifts: flag(row, "no_gifts")?,
            no_extra_charges: flag(row, "no_extra_charges")?,
        },
        comment: comment
            .map(|c| Note::parse(&c))
            .transpose()
            .map_err(|e| bad(&e))?,
        arrival_confirmed: row
            .try_get::<Option<i32>, _>("arrival_confirmed")?
            .map(|answer| answer == 1),
        position: crate::store::arrivals::fix_from(
            row,
            ["signed_latitude", "signed_longitude", "signed_accuracy_m"],
        )?,
    })
}

fn unsigned_from_row(
    row: &sqlx::any::AnyRow,
    visit_id: &str,
) -> Result<crate::domain::signoff::UnsignedClose, StoreError> {
    use crate::domain::signoff::{NoSignature, UnsignedClose};
    let why: String = row.try_get("why")?;
    let reason: String = row.try_get("reason")?;
    Ok(UnsignedClose {
        why: NoSignature::parse(&why).ok_or_else(|| corrupt("unsigned close", visit_id, &why))?,
        reason: Note::parse(&reason)
            .map_err(|e| corrupt("unsigned close", visit_id, e.to_string()))?,
    })
}

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::visit::work::charge_lines;
use crate::api::sync::SyncedOperation;
use crate::components::load_failure::load_failure;
use crate::components::signature_pad::signature_path;
use crate::domain::charges::FeeSchedule;
use crate::domain::checklist::ItemAnswer;
use crate::domain::record::VisitRecord;
use crate::domain::signoff::{Signature, VisitOutcome};
use crate::domain::time::{format_local_time, UtcOffset};
use crate::i18n::{use_i18n, Locale};
use crate::serverfns::visits::{get_visit_history, get_visit_record};

/// The one-ticket service record (一票到底服务记录单): everything about the
/// visit on one page, the signature, and whether the seal still holds.
/// Prints on A4 (see the print rules in style/main.css).
#[component]
pub fn RecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let record = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_visit_record,
    );
    let company = Resource::new(|| (), |_| crate::serverfns::admin::get_company_profile());
    // For the fee names of the schedule.
    let history = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_visit_history,
    );
    // Read with the record, under the same Suspense: a second Suspense
    // nested in this one's content could hydrate against HTML streamed in
    // another order and panic.
    let sync_log = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        crate::serverfns::sync::get_sync_log,
    );
    view! {
        <article class="record">
            <Suspense fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match (record.await, history.await) {
                        (Ok(record), Ok(history)) => {
                            let company = company.await.ok().flatten();
                            let entries = sync_log.await.unwrap_or_default();
                            view! {
                                <RecordSheet record schedule=history.fee_schedule company/>
                                <SyncLog entries/>
                            }.into_any()
                        }
                        (Err(error), _) | (_, Err(error)) => load_failure(error),
                    }
                })}
            </Suspense>
        </article>
    }
}

#[component]
fn RecordSheet(
    record: VisitRecord,
    schedule: FeeSchedule,
    company: Option<crate::domain::admin::CompanyProfile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    let time = move |at: Option<crate::domain::time::Timestamp>| {
        at.map(|at| format_local_time(at, offset))
            .unwrap_or_else(|| "—".into())
    };
    let seal = record.seal.clone();
    let intact = seal
        .as_ref()
        .map(|seal| seal.intact.to_string())
        .unwrap_or_default();
    let answers = record
        .checklist
        .items
        .iter()
        .map(|item| {
            let (text_zh, text_en) = (item.text_zh.clone(), item.text_en.clone());
            let answer = match record.answer(&item.key) {
                Some(ItemAnswer::Done { .. }) => "✓".to_string(),
                Some(ItemAnswer::NotApplicable { reason, .. }) => format!("— {reason}"),
                None => "✗".to_string(),
            };
            let photo = match record.answer(&item.key) {
                Some(ItemAnswer::Done { photo: Some(photo), .. }) => Some(photo.to_string()),
                _ => None,
            };
            view! {
                <tr>
                    <td>{move || if i18n.locale() == Locale::ZhCn { text_zh.clone() } else { text_en.clone() }}</td>
                    <td>
                        {answer}
                        {photo.map(|id| view! {
                            <img class="record__photo" data-testid="record-photo"
                                src=format!("/api/photos/{id}") alt=move || i18n.t().photos_title/>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let outcome = match &record.visit.outcome {
        Some(VisitOutcome::Fixed) => Some(true),
        Some(VisitOutcome::NotFixed { .. }) => Some(false),
        None => None,
    };
    let sign_off = record.sign_off.clone();
    let unsigned = record.unsigned.clone();
    let closed_unsigned = unsigned.is_some();
    let lines = charge_lines(&record, &schedule, i18n.locale());
    let no_charges = lines.is_empty();
    let charges = lines
        .into_iter()
        .map(|line| view! { <tr><td>{line.what}{line.reason.map(|reason| format!(" （{reason}）"))}</td><td>{line.amount}</td></tr> })
        .collect_view();
    let revisions = record
        .revisions
        .iter()
        .map(|revision| {
            let (change, intact) = (revision.change, revision.intact);
            view! {
                <li data-testid="record-revision" data-intact=intact.to_string()>
                    {format!("r{} · ", revision.number)}
                    {move || (i18n.t().record_change)(change)}
                    {format!(" · {} · {} · {}… · ", revision.changed_by,
                        format_local_time(revision.changed_at, offset), &revision.sha256[..12.min(revision.sha256.len())])}
                    {move || if intact { i18n.t().revision_verifies } else { i18n.t().revision_fails }}
                </li>
            }
        })
        .collect_view();
    let has_revisions = !record.revisions.is_empty();
    let (year, month, day) = crate::domain::time::local_date(record.visit.window.start(), offset);
    let visit_date = format!("{year}-{month:02}-{day:02}");
    let technician = match (&record.technician_name, &record.technician_card_number) {
        (Some(name), Some(card)) => format!("{name} · {card}"),
        (Some(name), None) => name.clone(),
        _ => String::new(),
    };
    let flags = record.arrival_check.flags.clone();
    let verified = record.arrival_check.verified;
    view! {
        {company.map(|company| view! {
            <p class="record__company" data-testid="record-company">
                <strong>{company.name.to_string()}</strong>
                <span>{move || i18n.t().visit.record_hotline} " " {company.hotline.as_str().to_string()}</span>
            </p>
        })}
        <h1>{move || i18n.t().record_title}</h1>
        <p class="record__seal" data-testid="record-seal"
            data-intact=intact>
            {move || match (&seal, closed_unsigned) {
                (Some(seal), false) if seal.intact => i18n.t().seal_intact,
                (Some(_), false) => i18n.t().seal_broken,
                (Some(seal), true) if seal.intact => i18n.t().visit.seal_intact_unsigned,
                (Some(_), true) => i18n.t().visit.seal_broken_unsigned,
                (None, _) => i18n.t().not_signed_yet,
            }}
        </p>
        <dl class="record__facts">
            <dt>{move || i18n.t().visit.record_order}</dt>
            <dd data-testid="record-order">{record.work_order.id.to_string()}</dd>
            <dt>{move || i18n.t().visit.record_date}</dt>
            <dd data-testid="record-date">{visit_date}</dd>
            <dt>{move || i18n.t().customer}</dt>
            <dd>{format!("{} · {}", record.customer.name, record.customer.phone.as_str())}</dd>
            <dt>{move || i18n.t().address}</dt>
            <dd>{record.customer.address.as_str().to_string()}</dd>
            <dt>{move || i18n.t().appliance}</dt>
            <dd>{format!("{} {} · {}", record.appliance.brand, record.appliance.model, record.appliance.serial_number)}</dd>
            <dt>{move || i18n.t().reported_fault}</dt>
            <dd>{record.work_order.reported_fault.as_str().to_string()}</dd>
            <dt>{move || i18n.t().technician_label}</dt>
            <dd data-testid="record-technician">{technician}</dd>
            <dt>{move || i18n.t().appointment_window}</dt>
            <dd>{record.visit.window.format_local(offset)}</dd>
            <dt>{move || i18n.t().visit.record_arrived}</dt>
            <dd data-testid="record-arrived">
                {time(record.visit.times.arrived)}
                {verified.then(|| view! { " · " {move || i18n.t().visit.record_verified} })}
                {(!flags.is_empty()).then(|| {
                    let flags = flags.clone();
                    view! {
                        <span class="record__flag" data-testid="record-arrival-flagged">
                            " · "
                            {move || {
                                let visit = &i18n.t().visit;
                                let named: Vec<_> = flags.iter().map(|&f| (visit.arrival_flag)(f)).collect();
                                (visit.labelled)(visit.arrival_flagged, &(visit.list_of)(&named))
                            }}
                        </span>
                    }
                })}
            </dd>
            <dt>{move || i18n.t().outcome_title}</dt>
            <dd data-testid="record-outcome">
                {move || match outcome {
                    Some(true) => i18n.t().outcome_fixed,
                    Some(false) => i18n.t().outcome_not_fixed,
                    None => "—",
                }}
            </dd>
            <dt>{move || i18n.t().total_label}</dt>
            <dd>{record.total().format_yuan()}</dd>
        </dl>
        <h2>{move || i18n.t().checklist_title}</h2>
        <table class="record__checklist"><tbody>{answers}</tbody></table>
        <h2>{move || i18n.t().work_summary}</h2>
        <table class="record__charges"><tbody>
            {charges}
            {no_charges.then(|| view! {
                <tr data-testid="record-no-charges"><td colspan="2">{move || i18n.t().visit.record_no_charges}</td></tr>
            })}
        </tbody></table>
        {sign_off.map(|sign_off| {
            let ratings = [
                ("skill", sign_off.ratings.skill.value()),
                ("attitude", sign_off.ratings.attitude.value()),
                ("timeliness", sign_off.ratings.timeliness.value()),
                ("parts_supply", sign_off.ratings.parts_supply.value()),
                ("overall", sign_off.ratings.overall.value()),
            ];
            let answer = move |value: Option<bool>| match value {
                Some(true) => i18n.t().visit.answer_yes,
                Some(false) => i18n.t().visit.answer_no,
                None => i18n.t().visit.answer_not_asked,
            };
            let arrival_question = (i18n.t().visit.arrival_question)(&time(record.visit.times.arrived));
            let conduct = sign_off.conduct;
            let questions: Vec<(String, Option<bool>)> = vec![
                (i18n.t().visit.fixed_question.to_string(), Some(sign_off.customer_says_fixed)),
                (arrival_question, sign_off.arrival_confirmed),
                ((i18n.t().conduct_rule)("no_arguing").to_string(), Some(conduct.no_arguing)),
                ((i18n.t().conduct_rule)("no_eating_drinking_smoking").to_string(), Some(conduct.no_eating_drinking_smoking)),
                ((i18n.t().conduct_rule)("no_gifts").to_string(), Some(conduct.no_gifts)),
                ((i18n.t().conduct_rule)("no_extra_charges").to_string(), Some(conduct.no_extra_charges)),
            ];
            view! {
                <h2>{move || i18n.t().visit.record_answers}</h2>
                <table class="record__answers" data-testid="record-answers"><tbody>
                    {questions.into_iter().map(|(question, value)| view! {
                        <tr><td>{question}</td><td>{move || answer(value)}</td></tr>
                    }).collect_view()}
                </tbody></table>
                <ul class="record__ratings">
                    {ratings.into_iter().map(|(dimension, score)| view! {
                        <li>{move || (i18n.t().rating_dimension)(dimension)} ": " {score.to_string()}</li>
                    }).collect_view()}
                </ul>
                {sign_off.comment.map(|comment| view! { <p class="record__comment">{comment.to_string()}</p> })}
                <p>
                    {move || i18n.t().signer_label} ": " {sign_off.signer.to_string()} " · "
                    {move || i18n.t().signed_at_label} " " {time(record.visit.times.signed)}
                </p>
                <SignatureImage signature=sign_off.signature/>
            }
        })}
        {unsigned.map(|closing| {
            let why = closing.why;
            view! {
                <h2>{move || i18n.t().visit.record_unsigned_title}</h2>
                <p data-testid="record-unsigned" data-why=why.as_str()>
                    {move || (i18n.t().visit.labelled)(i18n.t().visit.record_unsigned, (i18n.t().visit.no_signature_why)(why))}
                    " · "
                    {closing.reason.to_string()} " · "
                    {time(record.visit.times.closed_unsigned)}
                </p>
            }
        })}
        {has_revisions.then(|| view! {
            <h2>{move || i18n.t().revisions_title}</h2>
            <ol class="record__revisions">{revisions}</ol>
        })}
    }
}

/// The signature redrawn from its strokes, scaled to fit: one path, and
/// only what a signature may hold (`Signature::drawable_strokes`), so the
/// printed record stays small whatever was stored.
#[component]
fn SignatureImage(signature: Signature) -> impl IntoView {
    let i18n = use_i18n();
    let (mut max_x, mut max_y) = (1.0f32, 1.0f32);
    for (x, y) in signature.drawable_strokes().flatten() {
        max_x = max_x.max(*x);
        max_y = max_y.max(*y);
    }
    let view_box = format!("0 0 {:.0} {:.0}", max_x + 10.0, max_y + 10.0);
    let path = signature_path(signature.drawable_strokes());
    view! {
        <svg class="record__signature signature-pad__ink" data-testid="record-signature"
            viewBox=view_box role="img" aria-label=move || i18n.t().visit.record_signature>
            <path d=path/>
        </svg>
    }
}

/// What phones sent for the visit: each change with the phone's time and
/// the server's, a phone clock far off flagged, and work held for the
/// dispatcher marked with why. Not printed: it is the office's.
#[component]
fn SyncLog(entries: Vec<SyncedOperation>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    (!entries.is_empty()).then(|| view! {
        <section class="sync-log" aria-labelledby="sync-log-title">
            <h2 id="sync-log-title">{move || i18n.t().sync_log_title}</h2>
            <table>
                <thead><tr>
                    <th>{move || i18n.t().sync_log_change}</th>
                    <th>{move || i18n.t().sync_log_phone_time}</th>
                    <th>{move || i18n.t().sync_log_received}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|entry| {
                        let (kind, shown_kind) = (entry.kind.clone(), entry.kind.clone());
                        let note = match (&entry.settled, entry.held, entry.clock_flagged) {
                            (Some(settled), _, _) => {
                                let at = crate::domain::time::format_local_date_time(settled.at, offset);
                                (i18n.t().held_work.settled_line)(settled, &at)
                            }
                            (None, Some(held), _) => (i18n.t().held_for_dispatcher)(held).to_string(),
                            (None, None, true) => (i18n.t().clock_flagged)(entry.clock_skew_ms.unwrap_or(0) / 60_000),
                            (None, None, false) => String::new(),
                        };
                        view! {
                            <tr data-testid="sync-log-entry" data-kind=kind
                                data-held=entry.held.map(|h| h.as_str())
                                data-settled=entry.settled.as_ref().map(|s| s.outcome.as_str())
                                data-flagged=entry.clock_flagged.to_string()>
                                <td>{move || (i18n.t().change_kind)(&shown_kind)}</td>
                                <td>{entry.device_at.map(|at| crate::domain::time::format_local_date_time(at, offset))}</td>
                                <td>{crate::domain::time::format_local_date_time(entry.received_at, offset)}</td>
                                <td>{note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    })
}

use super::Messages;
use crate::api::error::InputProblem;
use crate::domain::assignment::{AssignmentRefused, AssignmentWarning};
use crate::domain::work_order::ApplianceCategory;

fn appliance_category_name(category: ApplianceCategory) -> &'static str {
    use ApplianceCategory as A;
    match category {
        A::WashingMachine => "washing machine",
        A::Dryer => "dryer",
        A::Refrigerator => "refrigerator",
        A::AirConditioner => "air conditioner",
        A::WaterHeater => "water heater",
        A::Dishwasher => "dishwasher",
        A::Other => "other appliance",
    }
}
use crate::domain::record::RecordChange;
use crate::domain::visit::ArrivalRisk;
use crate::domain::work_order::WarrantyStatus;

pub static EN: Messages = Messages {
    app_name: "Doorstep",
    app_description: "Home-appliance field service, every visit to the service standard.",
    language_name: "English",
    switch_language_label: "Switch language",
    online: "Online",
    offline: "Offline",
    offline_hint: "No network: changes are kept on this phone and sent in order when the network returns",
    changes_waiting: |n| if n == 1 { "1 change waiting".to_string() } else { format!("{n} changes waiting") },
    all_synced: |at| match at {
        Some(at) => format!("Synced {at}"),
        None => "Synced".to_string(),
    },
    not_applied_title: "Changes not taken",
    refused_hint: "The server did not take this change. Make it again on the visit page as the message says; ask your dispatcher if unsure.",
    held_for_dispatcher: |reason| match reason {
        crate::domain::conflict::HeldReason::Reassigned => "The visit was given to someone else: your work is kept for the dispatcher to settle; nothing to redo.",
        crate::domain::conflict::HeldReason::Cancelled => "The visit was cancelled: your work is kept for the dispatcher to settle; nothing to redo.",
    },
    signed_waiting: "Signed. The record is kept on this phone and sent when online; the service record opens once it is sent.",
    photo_waiting: "✓ Photo kept on this phone; it goes up when online",
    sync_log_title: "Sync log from phones",
    sync_log_change: "Change",
    sync_log_phone_time: "Phone time",
    sync_log_received: "Received",
    clock_flagged: |minutes| format!("The phone's clock was about {} min off the server's: check the times", minutes.abs()),
    held_work_title: "Work done offline, waiting for the dispatcher",
    complaint_step: |step| match step {
        crate::domain::complaint_clock::ComplaintStep::Reply => "Reply and apologise (within 1 h)",
        crate::domain::complaint_clock::ComplaintStep::HandlingResult => "Handling result (within 24 h)",
        crate::domain::complaint_clock::ComplaintStep::Rectification => "Rectification sheet (within 48 h)",
        crate::domain::complaint_clock::ComplaintStep::CustomerCallback => "Call the customer back (within 72 h)",
    },
    escalated_to_admin: "escalated to an admin",
    rectification_part: |n| ["Problem", "Root cause", "Immediate action", "Long-term action", "Verification"].get(n).copied().unwrap_or(""),
    step_note: "What was said or done",
    record_step: |step| match step {
        crate::domain::complaint_clock::ComplaintStep::Reply => "Record the reply",
        crate::domain::complaint_clock::ComplaintStep::HandlingResult => "Record the result",
        crate::domain::complaint_clock::ComplaintStep::Rectification => "File the rectification sheet",
        crate::domain::complaint_clock::ComplaintStep::CustomerCallback => "Record the callback",
    },
    call_kind: |kind| match kind {
        crate::domain::callback::FollowUpKind::Callback => "Callback (within 3 days)",
        crate::domain::callback::FollowUpKind::Tracking => "User tracking (within 7 days)",
        crate::domain::callback::FollowUpKind::Survey => "Monthly phone survey",
    },
    call_service: |technician, at| format!("{technician} · signed {at}"),
    call_fixed_question: "Was it fixed?",
    call_comment: "What the customer said",
    call_complaint: "Complaint (if any; you own it)",
    call_repeat_fault: "Needs another visit: the fault",
    call_repeat_start: "Appointment from",
    call_repeat_end: "Appointment to",
    record_call: "Save the call",
    call_recorded: |complaint, repeat| {
        let mut text = String::from("Call saved.");
        if complaint {
            text.push_str(" The complaint is in the follow-up queue.");
        }
        if repeat {
            text.push_str(" A repeat work order is open: assign it on the desk.");
        }
        text
    },
    sampling_title: "Callback sampling (admins)",
    sampling_label: |name| match name {
        "contracted" => "Contracted points",
        "company_run" => "Company-run points",
        "headquarters" => "Headquarters spot checks",
        _ => "Monthly phone survey",
    },
    save_sampling: "Save the rates",
    sampling_saved: "Saved: services signed from now on are drawn at these rates.",
    take_complaint_title: "Take a complaint by phone",
    take_complaint_order: "The service complained about",
    take_complaint_description: "The complaint",
    take_complaint_submit: "Take the complaint (I own it)",
    complaint_taken: "Complaint taken; its clocks run from now. See the follow-up queue.",
    complaint_owner: |owner| match owner {
        Some(name) => format!("Owner: {name}"),
        None => "Owner: the region's dispatchers".to_string(),
    },
    open_follow_up: "Calls and complaint follow-up",
    dismiss: "OK",
    change_kind: |kind| match kind {
        "set_off" => "Set off".into(),
        "check_in" => "Check-in".into(),
        "start_work" => "Start of work".into(),
        "finish_work" => "Work finished".into(),
        "checklist_done" | "checklist_not_applicable" | "checklist_photo" => "Checklist item".into(),
        "outcome" => "Outcome".into(),
        "part" => "Part".into(),
        "fee" => "Fee".into(),
        "remove_charge" => "Charge removed".into(),
        "field_insight" => "Field insight".into(),
        "complaint" => "Complaint".into(),
        "sign_off" => "Customer sign-off".into(),
        "close_unsigned" => "Closed unsigned".into(),
        other => other.to_string(),
    },
    logout_blocked_unsent: |n| format!("{n} changes are not sent yet. Get online and let them sync before logging out, so nothing is lost."),
    today_title: "Today's visits",
    today_subtitle: "In appointment order",
    loading: "Loading…",
    no_visits_today: "No visits are scheduled for today.",
    appointment_window: "Appointment",
    customer: "Customer",
    address: "Address",
    appliance: "Appliance",
    reported_fault: "Reported fault",
    show_details: "Show details",
    hide_details: "Hide details",
    visit_count: |count| match count {
        1 => "1 visit".to_string(),
        _ => format!("{count} visits"),
    },
    appliance_category: appliance_category_name,
    open_visit: "Open visit",
    call_customer: "Call",
    open_map: "Open map",
    visit_status: |status| {
        use crate::domain::visit::VisitStatus as S;
        match status {
            S::Dispatched => "Not started",
            S::OnTheWay => "On the way",
            S::Arrived => "Arrived",
            S::WorkStarted => "In progress",
            S::WorkFinished => "Awaiting signature",
            S::Signed => "Signed",
            S::ClosedUnsigned => "Closed unsigned",
            S::Cancelled => "Cancelled",
        }
    },
    step_button: |event| {
        use crate::domain::visit::VisitEvent as E;
        match event {
            E::SetOff => "Set off",
            E::CheckIn => "Check in",
            E::StartWork => "Start work",
            E::FinishWork => "Finish work",
            E::SignOff => "Customer signs",
            E::CloseUnsigned => "Close unsigned",
            E::Cancel => "Cancel visit",
        }
    },
    arrival_verdict: |punctuality| {
        use crate::domain::metrics::Punctuality as P;
        match punctuality {
            P::OnTime => "Arrived on time",
            P::Early => "Arrived early",
            P::Late => "Arrived late",
            P::Missed => "Missed the window",
            P::NotYetDue => "Not arrived yet",
        }
    },
    awaiting_signature: "Hand the phone to the customer to confirm and sign.",
    checklist_title: "Service checklist",
    required_item: "Required",
    mark_done: "Done",
    mark_not_applicable: "Not applicable",
    not_applicable_reason: "Why it does not apply",
    item_done: "Done",
    outcome_title: "Outcome",
    outcome_fixed: "Fixed",
    outcome_not_fixed: "Not fixed",
    not_fixed_reason: |reason| match reason {
        "parts_unavailable" => "Parts unavailable",
        "skill" => "Skill",
        "time_ran_out" => "Time ran out",
        _ => "Other",
    },
    outcome_detail: "Details",
    save_outcome: "Save outcome",
    sign_off_title: "Customer sign-off",
    work_summary: "This visit",
    total_label: "Total",
    fee_schedule_heading: |category, version| format!("Unified fee schedule ({category}, version {version})"),
    fee_schedule_promise: "Charges follow this schedule only; nothing outside it is charged.",
    customer_confirms_fixed: "The fault is fixed, I confirm",
    conduct_title: "Did the technician keep these rules? (please confirm)",
    conduct_rule: |rule| match rule {
        "no_arguing" => "No arguing with me",
        "no_eating_drinking_smoking" => "No eating, drinking or smoking in my home",
        "no_gifts" => "No gifts accepted",
        _ => "No charges outside the fee schedule",
    },
    ratings_title: "Rate this visit (1–5)",
    rating_dimension: |dimension| match dimension {
        "skill" => "Skill",
        "attitude" => "Attitude",
        "timeliness" => "Timeliness",
        "parts_supply" => "Parts supply",
        _ => "Overall",
    },
    comment_label: "Your comments",
    signer_label: "Signed by",
    signature_label: "Sign below",
    clear_signature: "Clear and sign again",
    undo_stroke: "Undo stroke",
    submit_signature: "Sign",
    record_title: "Service record",
    open_record: "Open the service record",
    technician_label: "Technician",
    seal_intact: "Intact: unchanged since the customer signed",
    seal_broken: "Warning: changed after the customer signed",
    not_signed_yet: "Not signed yet",
    signed_at_label: "Signed at",
    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or was removed.",
    back_to_today: "Back to today's visits",
    error_unauthorized: "Please log in first.",
    error_wrong_credentials: "Wrong login or password.",
    error_forbidden: "You are not allowed to do this.",
    error_too_many_attempts: |minutes| format!("Too many attempts. Try again in {minutes} min."),
    login_title: "Log in",
    login_name_label: "Login",
    password_label: "Password",
    login_button: "Log in",
    logging_in: "Logging in…",
    logout_button: "Log out",
    signed_in_as: |name| format!("Signed in as {name}"),
    error_not_ready_to_finish: "The work cannot be finished yet: ",
    checklist_items_open: |count| match count {
        1 => "1 required checklist item is open. ".to_string(),
        _ => format!("{count} required checklist items are open. "),
    },
    outcome_missing: "No outcome is recorded.",
    error_conflict: "This step cannot be done now: it does not fit the record as it stands. Refresh the page to see it.",
    error_already_settled: "A dispatcher has already settled this work; it cannot be settled twice.",
    error_unavailable: "The server cannot be reached right now. Please try again shortly.",
    error_too_large: |megabytes| format!("This is too large to send: the server takes at most {megabytes} MB at once."),
    error_internal: "Something went wrong on the server. Please try again shortly.",
    error_not_found: "That record could not be found.",
    error_invalid_input: "Some input is not valid. Please check it and try again.",
    error_input_problem: |problem| {
        let what = match problem {
            InputProblem::Unanswered => "it must be answered first".to_string(),
            InputProblem::ReasonNeeded => "the appliance is in warranty, so parts are free: give the reason to charge one".to_string(),
            InputProblem::Empty => "it must not be empty".to_string(),
            InputProblem::TooLong { max } => format!("it must be at most {max} characters"),
            InputProblem::ControlCharacters => "it must not contain control characters".to_string(),
            InputProblem::HiddenFormatting => "it must not contain hidden text-direction characters".to_string(),
            InputProblem::BadFormat => "it is not in the expected format".to_string(),
            InputProblem::OutOfRange { min, max } => format!("it must be between {min} and {max}"),
        };
        format!("Some input is not valid: {what}.")
    },
    take_photo: "Take photo",
    photo_attached: "Photo attached",
    uploading_photo: "Uploading photo…",
    parts_title: "Parts used",
    part_code_label: "Part code",
    part_name_label: "Part name",
    quantity_label: "Quantity",
    unit_price_label: "Unit price (yuan, 0 under warranty)",
    add_part: "Add part",
    fees_title: "Fees (unified fee schedule)",
    fee_item_label: "Fee",
    add_fee: "Add fee",
    insight_title: "Field insight",
    insight_category: |category| match category {
        "product_defect" => "Product defect",
        _ => "User suggestion",
    },
    insight_note_label: "What you saw, or what the user suggests",
    add_insight: "Add note",
    other_visits_title: "Other visits to this appliance",
    no_other_visits: "No other visits to this appliance.",
    follow_up_opened: "Not fixed; follow-up visit opened:",
    complain_button: "I am not satisfied / I want to complain",
    complaint_label: "Tell us what went wrong",
    submit_complaint: "Submit complaint",
    complaint_filed: |id| {
        format!("Complaint received (number {id}). We will call you within 1 hour.")
    },
    arrival_risk: |risk| match risk {
        ArrivalRisk::AtRisk => "At risk of being late",
        ArrivalRisk::Late => "Late: not arrived",
        ArrivalRisk::None => "",
    },
    revisions_title: "Revisions",
    record_change: |change| match change {
        RecordChange::Signed => "As signed by the customer",
        RecordChange::ClosedUnsigned => "As closed without a signature",
        RecordChange::ChecklistAnswer => "Checklist item completed after signing",
        RecordChange::Part => "Part recorded after signing",
    },
    revision_verifies: "verifies",
    revision_fails: "does not verify",
    photos_title: "Photos",
    open_desk: "Dispatch desk",
    desk_title: "Dispatch desk",
    desk_region: "Region",
    dashboard: &super::dashboard::EN,
    suggest: &super::suggest::EN,
    board: &super::board::EN,
    intake: &super::intake::EN,
    day_plan: &super::day_plan::EN,
    held_work: &super::held_work::EN,
    queue: &super::queue::EN,
    admin: &super::admin::EN,
    visit: &super::visit::EN,
    live_on: "● Live",
    live_off: "○ Live updates lost, reconnecting…",
    queue_title: |n| format!("Orders to assign ({n})"),
    lanes_title: "Technicians today",
    pick_hint: "Pick an order or a visit, then press \"Assign here\" in a technician's lane.",
    picked_hint: |who| format!("Picked: {who}. Choose a technician."),
    urgent: "Urgent",
    due_by: |time| format!("Visit due by {time} (within a day of registration)"),
    pick: "Pick",
    lane_load: |n| format!("{n} visits today"),
    assign_here: "Assign here",
    lane_inactive: "Account deactivated: hand the open visits on to another technician",
    reassign: "Reassign",
    intake_title: "New work order",
    intake_label: |field| match field {
        "customer_name" => "Customer name",
        "customer_phone" => "Phone",
        "customer_location" => "Place (latitude, longitude)",
        "customer_address" => "Address",
        "category" => "Appliance type",
        "brand" => "Brand",
        "model" => "Model",
        "serial_number" => "Serial number",
        "purchase_date" => "Purchase date",
        "warranty_end" => "Warranty ends",
        "reported_fault" => "Fault",
        "fault_category" => "Fault type",
        "channel" => "Channel",
        "priority" => "Priority",
        "appointment_start" => "Appointment from",
        "appointment_end" => "Appointment until",
        "region_id" => "Region",
        "technician_id" => "Technician",
        _ => "Input",
    },
    fault_category: |key| match key {
        "no_power" => "No power",
        "noise" => "Noise",
        "leak" => "Leak",
        "not_cooling" => "Not cooling",
        "not_heating" => "Not heating",
        "water_supply" => "No water in",
        "drainage" => "Not draining",
        "error_code" => "Error code",
        "electrical" => "Electrical",
        "installation" => "Installation",
        _ => "Other",
    },
    channel: |key| match key {
        "phone" => "Phone",
        "app" => "App",
        "dealer" => "Dealer",
        _ => "Walk-in",
    },
    priority: |key| match key {
        "urgent" => "Urgent",
        _ => "Normal",
    },
    take_order: "Take the order",
    assignment_refused: |reason| match reason {
        AssignmentRefused::OtherRegion => {
            "Cannot assign: the technician works in another service region.".to_string()
        }
        AssignmentRefused::OutsideAgreedWindow => {
            "Cannot assign: the time lies outside the window agreed with the customer.".to_string()
        }
        AssignmentRefused::AlreadyUnderWay(_) => {
            "Cannot reassign: the technician has reached the home; the visit stays with them."
                .to_string()
        }
        AssignmentRefused::OrderClosed => {
            "Cannot assign: the work order is closed or cancelled.".to_string()
        }
        AssignmentRefused::NoSkill(category) => format!(
            "Cannot assign: the technician does not repair the {}; choose one trained for it.",
            appliance_category_name(*category)
        ),
        AssignmentRefused::OtherBrand(brand) => {
            format!("Cannot assign: the technician is not authorised for {brand}.")
        }
    },
    assignment_warning: |warning| match warning {
        AssignmentWarning::BusyDay { visits } => format!(
            "The technician already has {visits} visits that day, more than the {} a day we plan.",
            crate::domain::assignment::BUSY_DAY_VISITS
        ),
        AssignmentWarning::CrowdedWindow { overlapping } => format!(
            "The technician already has {overlapping} visits in these hours; a customer will wait."
        ),
        AssignmentWarning::OutsideWorkingHours { hours } => format!(
            "The time lies outside the technician's working hours, {}.",
            hours.format()
        ),
    },
    assignment_confirm_intro: "Confirm before assigning: ",
    assign_anyway: "Assign to this technician anyway",
    lane_hours: |hours| format!("Works {hours}"),
    lane_brands: |brands| format!("Brands: {brands} only"),
    list_in_words: |names| names.join(", "),
    search_customer: "Find the customer (phone or name)",
    find: "Find",
    no_customer_found: "No one found; fill in a new customer.",
    use_customer: "This customer",
    use_appliance: "This appliance",
    warranty: |status| match status {
        WarrantyStatus::InWarranty => "In warranty",
        WarrantyStatus::Expired => "Out of warranty",
        WarrantyStatus::Unknown => "Warranty unknown (ask for the invoice)",
    },
    chosen_customer: "Existing customer:",
    chosen_appliance: "Appliance:",
    clear_choice: "Enter new instead",
    customer_file_title: "Customer file",
    appliances_title: "Appliances",
    visits_title: "Visits",
    file_visit_columns: ["Appointment", "Appliance and fault", "Status", "Technician", "Ratings"],
    complaints_title: "Complaints",
    no_complaints: "No complaints.",
    ratings_short: |r| {
        format!(
            "skill {} · attitude {} · timeliness {} · parts {} · overall {}",
            r[0], r[1], r[2], r[3], r[4]
        )
    },
    open_customer_file: "Customer file",
};

use super::Messages;

pub static EN: Messages = Messages {
    app_name: "Doorstep",
    app_description: "Home-appliance field service, every visit to the service standard.",
    language_name: "English",
    switch_language_label: "Switch language",
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
    appliance_category: |category| {
        use crate::domain::work_order::ApplianceCategory as A;
        match category {
            A::WashingMachine => "washing machine",
            A::Dryer => "dryer",
            A::Refrigerator => "refrigerator",
            A::AirConditioner => "air conditioner",
            A::WaterHeater => "water heater",
            A::Dishwasher => "dishwasher",
            A::Other => "other appliance",
        }
    },
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
    error_conflict: "This step cannot be done now:",
    error_unavailable: "The server cannot be reached right now. Please try again shortly.",
    error_internal: "Something went wrong on the server. Please try again shortly.",
    error_not_found: "That record could not be found.",
    error_invalid_input: "Some input is not valid. Please check it and try again.",
};

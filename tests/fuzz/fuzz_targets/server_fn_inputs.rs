//! Every server function's arguments, decoded from untrusted bytes the two
//! ways the server decodes them (JSON, and the form encoding of the others):
//! the first byte picks the function, the rest is the body. Decoding goes
//! through the validating newtypes, so it is the whole edge of the server.
#![no_main]

use app::serverfns::{
    admin, auth, callbacks, complaints, customers, dashboard, desk, sync, today, visits,
    work_orders,
};
use libfuzzer_sys::fuzz_target;

macro_rules! decoders {
    ($($args:path),* $(,)?) => {
        &[$(|body: &[u8]| {
            let _ = serde_json::from_slice::<$args>(body);
            let _ = serde_qs::from_bytes::<$args>(body);
        }),*]
    };
}

const DECODERS: &[fn(&[u8])] = decoders![
    auth::Login,
    auth::Logout,
    auth::WhoAmI,
    customers::GetCustomerFile,
    customers::FindCustomers,
    callbacks::GetCallQueue,
    callbacks::GetCallbackSampling,
    callbacks::RecordFollowUpCall,
    callbacks::SetCallbackSampling,
    desk::GetBoard,
    desk::AssignTechnician,
    sync::UploadPhotoPiece,
    sync::GetSyncLog,
    sync::GetOfflineKit,
    sync::ApplyOperation,
    complaints::GetComplaintQueue,
    complaints::RecordComplaintStep,
    complaints::TakePhoneComplaint,
    today::ListTodayVisits,
    work_orders::CreateWorkOrder,
    dashboard::GetDashboard,
    visits::RecordChecklistAnswer,
    visits::RecordPart,
    visits::GetVisitRecord,
    visits::AttachPhoto,
    visits::AddFieldInsight,
    visits::RecordVisitEvent,
    visits::ChargeFee,
    visits::FileSignOffComplaint,
    visits::SignOffVisit,
    visits::RecordOutcome,
    visits::GetVisitHistory,
    auth::SetPasswordWithCode,
    admin::GetPeople,
    admin::CreatePerson,
    admin::EditPerson,
    admin::SetPersonActive,
    admin::IssuePasswordCode,
    admin::GetAuditLog,
    admin::GetChecklistDesk,
    admin::PublishChecklist,
    admin::GetFeeDesk,
    admin::PublishFeeSchedule,
    admin::GetPlaces,
    admin::SaveRegion,
    admin::SaveServicePoint,
    visits::RemoveCharge,
    admin::GetCompanyProfile,
    admin::SaveCompanyProfile,
    visits::CloseUnsigned,
];

fuzz_target!(|data: &[u8]| {
    if let Some((&which, body)) = data.split_first() {
        DECODERS[usize::from(which) % DECODERS.len()](body);
    }
});

//! Customers on file, through the router: found by name or phone, reused
//! by a new work order, and shown whole.

use crate::common;

use axum::http::StatusCode;
use common::fixtures::intake_counts;
use common::web::{
    assert_refused_naming, call, first_visit_id_of, get, json_call, log_in, seeded, send,
};
use common::TestDb;

async fn a_customer_on_file_is_found_reused_and_shown_whole(db: &TestDb) {
    use app::api::customers::{CustomerFile, CustomerMatch};
    let app = seeded(db).await;
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    let find = |query: &str| {
        let (app, dispatcher) = (app.clone(), dispatcher.clone());
        let query = query.to_string();
        async move {
            let answer = send(
                &app,
                call(
                    "/api/customers/find",
                    &format!("query={query}"),
                    Some(&dispatcher),
                ),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            serde_json::from_str::<Vec<CustomerMatch>>(&answer.body).unwrap()
        }
    };
    let by_name = find("王秀英").await;
    assert_eq!(by_name.len(), 1);
    let wang = &by_name[0];
    assert!(!wang.appliances.is_empty());
    let digits: String = wang
        .customer
        .phone
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let by_phone = find(&digits[digits.len() - 6..]).await;
    assert!(
        by_phone.iter().any(|m| m.customer.id == wang.customer.id),
        "found by the phone's last digits"
    );
    assert!(find("%").await.is_empty(), "a wildcard is only a character");
    assert!(
        find("12").await.is_empty(),
        "too few digits and no such name"
    );
    assert_refused_naming(
        &send(
            &app,
            call(
                "/api/customers/find",
                &format!("query={}", "王".repeat(51)),
                Some(&dispatcher),
            ),
        )
        .await,
        "query",
    );

    // A new order for the customer and appliance on file writes neither again.
    let before = intake_counts(db).await;
    let region = db
        .store
        .visit_place(&first_visit_id_of(&app, &log_in(&app, "tech.wang").await).await)
        .await
        .unwrap()
        .unwrap()
        .region_id;
    let mut intake = common::web::intake(&region);
    intake["existing_customer"] = true.into();
    intake["existing_appliance"] = true.into();
    intake["customer_id"] = wang.customer.id.to_string().into();
    intake["appliance_id"] = wang.appliances[0].appliance.id.to_string().into();
    intake["customer_name"] = "".into();
    let create = |body: &serde_json::Value| {
        json_call(
            "/api/work_orders/create",
            &serde_json::json!({ "intake": body }),
            Some(&dispatcher),
        )
    };
    let taken = send(&app, create(&intake)).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(
        intake_counts(db).await,
        [before[0], before[1], before[2] + 1]
    );
    let other = find("李建国")
        .await
        .into_iter()
        .next()
        .expect("李建国 is on file");
    assert_ne!(other.customer.id, wang.customer.id);
    let mut foreign = intake.clone();
    foreign["work_order_id"] = uuid::Uuid::now_v7().to_string().into();
    foreign["appliance_id"] = other.appliances[0].appliance.id.to_string().into();
    assert_refused_naming(&send(&app, create(&foreign)).await, "appliance_id");
    let mut unknown = intake.clone();
    unknown["work_order_id"] = uuid::Uuid::now_v7().to_string().into();
    unknown["customer_id"] = uuid::Uuid::now_v7().to_string().into();
    assert_refused_naming(&send(&app, create(&unknown)).await, "customer_id");
    assert_eq!(
        intake_counts(db).await,
        [before[0], before[1], before[2] + 1],
        "nothing more written"
    );

    // The customer's file: appliances, visits, ratings, complaints.
    let answer = send(
        &app,
        call(
            "/api/customers/file",
            &format!("customer_id={}", wang.customer.id),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let file: CustomerFile = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(file.customer.id, wang.customer.id);
    assert_eq!(file.appliances.len(), wang.appliances.len());
    assert!(!file.visits.is_empty(), "today's visit at least");
    let page = send(
        &app,
        get(
            &format!("/customers/{}", wang.customer.id),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("用户档案"), "rendered on the server");
}

on_both_engines!(a_customer_on_file_is_found_reused_and_shown_whole);

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::admin::{RegionForm, RegionRecord, ServicePointForm};
use crate::domain::callback::ServicePointLevel;
use crate::i18n::use_i18n;
use crate::serverfns::admin::{get_places, save_region, save_service_point};

/// What the form under the regions is editing: a new record or one by id.
type Editing = RwSignal<Option<String>>;

/// Regions and their service points: each point's level sets how many of
/// its services are called back, its time zone how its visits' times read.
#[component]
pub fn PlacesSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let places = Resource::new(move || changes.get(), |_| get_places());
    let region = RwSignal::new(RegionForm {
        time_zone: "Asia/Shanghai".into(),
        level: ServicePointLevel::CompanyRun.as_str().into(),
        ..RegionForm::default()
    });
    let point = RwSignal::new(ServicePointForm {
        time_zone: "Asia/Shanghai".into(),
        level: ServicePointLevel::CompanyRun.as_str().into(),
        ..ServicePointForm::default()
    });
    let region_editing: Editing = RwSignal::new(None);
    let point_editing: Editing = RwSignal::new(None);
    let failure = RwSignal::new(None::<AppError>);
    let save = Action::new(move |which: &bool| {
        let (is_region, region, point) = (*which, region.get_untracked(), point.get_untracked());
        let (region_id, point_id) = (
            region_editing.get_untracked(),
            point_editing.get_untracked(),
        );
        async move {
            if is_region {
                save_region(region_id.unwrap_or_default(), region)
                    .await
                    .map(|_| ())
            } else {
                save_service_point(point_id.unwrap_or_default(), point)
                    .await
                    .map(|_| ())
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            region_editing.set(None);
            point_editing.set(None);
            region.update(|f| f.name.clear());
            point.update(|f| f.name.clear());
            changes.update(|n| *n += 1);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let bad_field = move || match failure.get() {
        Some(AppError::InvalidInput { field, .. }) => Some(field),
        _ => None,
    };
    let marked = move |name: &'static str| (bad_field().as_deref() == Some(name)).to_string();
    let level_options = move || {
        ServicePointLevel::ALL
            .iter()
            .map(|level| view! { <option value=level.as_str()>{move || (t().level_name)(*level)}</option> })
            .collect_view()
    };

    view! {
        <section class="admin__places" aria-labelledby="places-title">
            <h2 id="places-title">{move || t().places_title}</h2>
            <div class="status status--error" role="alert" data-testid="places-error"
                hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|error| error.user_message(i18n.t()))}
            </div>
            <div class="desk__columns">
                <div class="admin__place-forms">
                    <form class="intake admin__form" data-testid="region-form" novalidate=true
                        on:submit=move |event| { event.prevent_default(); save.dispatch(true); }>
                        <h3>{move || t().region_form}</h3>
                        <label class="intake__field">{move || t().region_name}
                            <input type="text" data-testid="region-name" aria-invalid=move || marked("region_name")
                                prop:value=move || region.with(|f| f.name.clone())
                                on:input=move |e| region.update(|f| f.name = event_target_value(&e))/></label>
                        <label class="intake__field">{move || t().time_zone}
                            <input type="text" data-testid="region-time_zone" aria-invalid=move || marked("time_zone")
                                prop:value=move || region.with(|f| f.time_zone.clone())
                                on:input=move |e| region.update(|f| f.time_zone = event_target_value(&e))/></label>
                        <label class="intake__field">{move || t().level}
                            <select data-testid="region-level"
                                prop:value=move || region.with(|f| f.level.clone())
                                on:change=move |e| region.update(|f| f.level = event_target_value(&e))>
                                {level_options}
                            </select>
                            <small>{move || t().region_level_hint}</small></label>
                        <button type="submit" class="button button--primary" data-testid="save-region"
                            disabled=move || save.pending().get()>{move || t().save}</button>
                    </form>
                    <form class="intake admin__form" data-testid="point-form" novalidate=true
                        on:submit=move |event| { event.prevent_default(); save.dispatch(false); }>
                        <h3>{move || t().point_form}</h3>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                places.await.ok().map(|places| view! {
                                    <label class="intake__field">{move || t().region}
                                        <select data-testid="point-region" aria-invalid=move || marked("region_id")
                                            prop:value=move || point.with(|f| f.region_id.clone())
                                            on:change=move |e| point.update(|f| f.region_id = event_target_value(&e))>
                                            <option value="">{move || t().choose_region}</option>
                                            {places.into_iter().map(|place| view! {
                                                <option value=place.id.clone() translate="no">{place.region.name.as_str().to_owned()}</option>
                                            }).collect_view()}
                                        </select></label>
                                })
                            })}
                        </Transition>
                        <label class="intake__field">{move || t().point_name}
                            <input type="text" data-testid="point-name" aria-invalid=move || marked("service_point_name")
                                prop:value=move || point.with(|f| f.name.clone())
                                on:input=move |e| point.update(|f| f.name = event_target_value(&e))/></label>
                        <label class="intake__field">{move || t().time_zone}
                            <input type="text" data-testid="point-time_zone" aria-invalid=move || marked("time_zone")
                                prop:value=move || point.with(|f| f.time_zone.clone())
                                on:input=move |e| point.update(|f| f.time_zone = event_target_value(&e))/></label>
                        <label class="intake__field">{move || t().level}
                            <select data-testid="point-level"
                                prop:value=move || point.with(|f| f.level.clone())
                                on:change=move |e| point.update(|f| f.level = event_target_value(&e))>
                                {level_options}
                            </select></label>
                        <button type="submit" class="button button--primary" data-testid="save-point"
                            disabled=move || save.pending().get()>{move || t().save}</button>
                    </form>
                </div>
                <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match places.await {
                            Ok(places) => view! {
                                <PlacesTable places region point region_editing point_editing/>
                            }.into_any(),
                            Err(error) => load_failure(error),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn PlacesTable(
    places: Vec<RegionRecord>,
    region: RwSignal<RegionForm>,
    point: RwSignal<ServicePointForm>,
    region_editing: Editing,
    point_editing: Editing,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    view! {
        <ul class="admin__places-list" data-testid="places">
            {places.into_iter().map(|place| {
                let level = place.region.level;
                let form = RegionForm {
                    name: place.region.name.as_str().to_owned(),
                    time_zone: place.region.time_zone.clone(),
                    level: level.as_str().to_owned(),
                };
                let id = place.id.clone();
                view! {
                    <li data-testid="place" data-region=place.region.name.as_str().to_owned()>
                        <strong translate="no">{place.region.name.as_str().to_owned()}</strong>
                        " · " <span translate="no">{place.region.time_zone.clone()}</span> " · " {move || (t().level_name)(level)}
                        " "
                        <button type="button" class="button button--quiet" data-testid="edit-region"
                            on:click=move |_| { region.set(form.clone()); region_editing.set(Some(id.clone())); }>
                            {move || t().edit}</button>
                        <ul>
                            {place.points.into_iter().map(|record| {
                                let level = record.point.level;
                                let form = ServicePointForm {
                                    region_id: record.point.region_id.as_str().to_owned(),
                                    name: record.point.name.as_str().to_owned(),
                                    level: level.as_str().to_owned(),
                                    time_zone: record.point.time_zone.clone(),
                                };
                                let id = record.id.clone();
                                view! {
                                    <li data-testid="service-point" data-level=level.as_str()>
                                        <span translate="no">{record.point.name.as_str().to_owned()}</span> " · "
                                        <span translate="no">{record.point.time_zone.clone()}</span> " · "
                                        {move || (t().level_name)(level)} " "
                                        <button type="button" class="button button--quiet" data-testid="edit-point"
                                            on:click=move |_| { point.set(form.clone()); point_editing.set(Some(id.clone())); }>
                                            {move || t().edit}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

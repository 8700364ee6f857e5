//! `/community`: the clusters an organisation's conversations show (one issue raised by many
//! residents in one area), and what makes a cluster. Admins only. A real form: it works without
//! JavaScript too.

use crate::api::community::{community_page, ClusterView, SaveClusterRule};
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;

#[component]
pub fn CommunityResponsesPage() -> impl IntoView {
    let save = ServerAction::<SaveClusterRule>::new();
    let data = Resource::new(move || save.version().get(), |_| community_page());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Community responses"/>
        <ErrorSummary error first_field="threshold"/>
        {move || save.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title="Saved"><p>"Clusters are now found by the new rule."</p></SuccessBanner>
        })}
        <h1 class="heading-l">"Community responses"</h1>
        <p class="body">"When many residents raise the same issue in one area, it can be answered together: what we will do, "
            "what residents can do, and a time to meet."</p>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => view! {
                        <h2 class="heading-m" id="clusters-heading">"Clusters now"</h2>
                        {if page.clusters.is_empty() {
                            view! { <p class="body">{format!(
                                "No issue has been raised by {} or more residents in one area in the last {} days.",
                                page.threshold, page.window_days
                            )}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list" aria-labelledby="clusters-heading">
                                    {page.clusters.into_iter().map(|c| view! { <ClusterCard cluster=c/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="rule-heading">"What makes a cluster"</h2>
                        <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="rule-heading">
                            <PostedField name="threshold" label="How many residents" input_type="number"
                                hint="Raising the same issue in one area. At least 5, so nobody can be picked out."
                                value=page.threshold.to_string() errors/>
                            <PostedField name="window_days" label="Within how many days" input_type="number"
                                hint="From 7 to 365. Each cluster is compared with the same number of days before."
                                value=page.window_days.to_string() errors/>
                            <button type="submit" class="button button--secondary" disabled=move || save.pending().get()>"Save"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClusterCard(cluster: ClusterView) -> impl IntoView {
    let heading = format!("cluster-{}-{}", cluster.area_id, cluster.theme_id);
    let labelled_by = heading.clone();
    let tag = match cluster.trend.as_str() {
        "Shrinking" => "tag tag--green",
        "Growing" | "New" => "tag tag--red",
        _ => "tag tag--grey",
    };
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h3 class="heading-s" id=heading>{cluster.title}</h3>
            <p class="body"><strong class=tag>{cluster.trend}</strong> " " {cluster.summary} " (" {cluster.compared} ")"</p>
        </li>
    }
}

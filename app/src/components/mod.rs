pub mod chart;
pub mod filters;
pub mod focus;
pub mod forms;
pub mod layout;
pub mod status;
pub mod title;
pub mod week_grid;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// One value of the page's address, from `use_params_map` or `use_query_map`. Read with
/// `try_with`: on the server, a page left before it finished rendering has these disposed while
/// the render winds down, and a read then (from a `Suspend` that resolves late) must give
/// nothing rather than panic the request's task.
pub fn address_value(map: Memo<ParamsMap>, key: &str) -> Option<String> {
    map.try_with(|m| m.get(key)).flatten()
}

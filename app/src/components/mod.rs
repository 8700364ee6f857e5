pub mod chart;
pub mod filters;
pub mod focus;
pub mod forms;
pub mod layout;
pub mod status;
pub mod title;
pub mod week_grid;

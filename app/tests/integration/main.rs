//! The integration tests, in one binary: each test binary links the whole app, so one binary
//! instead of seven keeps build time and disk use down (a debug test binary is large).

mod common;
mod smtp;

mod accounts;
mod auth;
mod bilingual;
mod channels;
mod commitments;
mod community;
mod consultations;
mod edge;
mod guidance;
mod hardening;
mod hostile;
mod intelligence;
mod invitations;
mod jobs;
mod languages;
mod mail;
mod page_cache;
mod participation;
mod partners;
mod people;
mod privacy;
mod referrals;
mod staff;
mod sync;
mod sync_faults;
mod volunteering;

//! The channels a conversation comes through: at the door, at an event, at the counter, by
//! phone, on a home visit, by online message.

use serde::{Deserialize, Serialize};

/// Where, or how, the conversation happened: the channel. Every channel is one caseload: a
/// follow-up is its owner's whichever way it began, and a repeat contact is a repeat across
/// channels (the same resident phoning about what they raised at the door).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Doorstep,
    /// A quick contact at a community event (the record names the event).
    Event,
    /// At the counter of an office, a hub or a library.
    Counter,
    Phone,
    /// A visit arranged at the resident's home.
    HomeVisit,
    /// A message through a website, an app or email.
    Online,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 6] = [
        InteractionKind::Doorstep,
        InteractionKind::Event,
        InteractionKind::Counter,
        InteractionKind::Phone,
        InteractionKind::HomeVisit,
        InteractionKind::Online,
    ];
    /// The channels recorded on the "Record a conversation" page (doorsteps and events have
    /// their own).
    pub const CHANNELS: [InteractionKind; 4] =
        [InteractionKind::Counter, InteractionKind::Phone, InteractionKind::HomeVisit, InteractionKind::Online];

    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::Doorstep => "doorstep",
            InteractionKind::Event => "event",
            InteractionKind::Counter => "counter",
            InteractionKind::Phone => "phone",
            InteractionKind::HomeVisit => "home_visit",
            InteractionKind::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<InteractionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The channel's name, as a filter and a list show it.
    pub fn label(self) -> &'static str {
        match self {
            InteractionKind::Doorstep => "Doorstep",
            InteractionKind::Event => "Community events",
            InteractionKind::Counter => "At the counter",
            InteractionKind::Phone => "By phone",
            InteractionKind::HomeVisit => "Home visit",
            InteractionKind::Online => "Online message",
        }
    }

    /// One record of it, as the tablet's list names it.
    pub fn record_name(self) -> &'static str {
        match self {
            InteractionKind::Doorstep => "Doorstep conversation",
            InteractionKind::Event => "Event contact",
            InteractionKind::Counter => "Conversation at the counter",
            InteractionKind::Phone => "Phone conversation",
            InteractionKind::HomeVisit => "Home visit",
            InteractionKind::Online => "Online message",
        }
    }

    /// Where we met, as the resident is told ("We met you on the phone on 3 December").
    pub fn as_told_to_the_resident(self) -> &'static str {
        match self {
            InteractionKind::Doorstep => "at your door",
            InteractionKind::Event => "at a community event",
            InteractionKind::Counter => "at our counter",
            InteractionKind::Phone => "on the phone",
            InteractionKind::HomeVisit => "on a visit to your home",
            InteractionKind::Online => "in an online message",
        }
    }

    /// Whether the worker knocked at a door, so "no one home" and "declined to talk" can be
    /// what happened. At a counter, on the phone or online, someone came to talk.
    pub fn knocks(self) -> bool {
        matches!(self, InteractionKind::Doorstep | InteractionKind::HomeVisit)
    }
}

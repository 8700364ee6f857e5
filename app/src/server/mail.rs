//! The outbox of outgoing mail, and its sender.
//!
//! Messages are queued in `outgoing_messages` inside the transaction that decides to send them
//! (so a message exists exactly when the change that asked for it does). A sender claims due
//! messages with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's single writer makes
//! the claim atomic), checks the consent the message needs *now*, hands it to SMTP (lettre, over
//! rustls) or, with no server configured, writes it to a folder as an `.eml` file, and records
//! the outcome: sent; tried again later with back-off; or failed after the configured number of
//! tries, with the last error, where an admin sees it. Once a message is finished with, its words
//! are cleared: they can hold a link that works, and the record of what was sent is enough.
//!
//! Delivery is at least once: a sender that dies after the SMTP server took a message but
//! before it was marked sent leaves it to be sent again when its lease runs out. Each message
//! keeps one `Message-ID`, so a receiving system can recognise the repeat.

use super::db::Db;
use super::{config::MailConfig, now};
use crate::domain::mail::{after_failure, AfterFailure, Letter, MessageKind, CLAIM_SECS};
use crate::domain::outreach::ConsentPurpose;
use crate::domain::validation::mask_email;
use lettre::message::{header, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Messages claimed at once: few enough that each is sent well within its lease.
const BATCH: i64 = 10;

/// A message to queue.
pub struct Outgoing<'a> {
    pub organisation_id: &'a str,
    pub kind: MessageKind,
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub letter: Letter,
    /// The language of the words (`en`, `cy`): the HTML part's `lang`, and the unsubscribe line's.
    pub lang: &'a str,
    pub consultation_id: Option<&'a str>,
    /// Whom the message is about in the consent ledger, and the purpose that must still be
    /// granted when it goes.
    pub consent: Option<(&'a str, ConsentPurpose)>,
}

/// Queues a message inside the caller's transaction; returns its id. A marketing-like message
/// gets a one-click unsubscribe link (in its words and its `List-Unsubscribe` header); the link's
/// secret is stored only as a hash. `base` is the absolute origin for links.
pub async fn queue(conn: &mut sqlx::AnyConnection, base: &str, mut o: Outgoing<'_>, now: i64) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let (unsubscribe_hash, list_unsubscribe) = if o.kind.is_marketing_like() {
        let token = crate::server::tokens::new_token();
        let link = format!("{base}/email/unsubscribe/{token}");
        let locale = crate::language::choice::from_tag(o.lang).unwrap_or_default();
        o.letter.footer.push(crate::i18n::td_string!(locale, mail_footer.unsubscribe, link = &link).to_string());
        (Some(crate::server::tokens::token_hash(&token)), Some(link))
    } else {
        (None, None)
    };
    let (resident_id, purpose) = match o.consent {
        Some((resident, purpose)) => (Some(resident), Some(purpose.as_str())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO outgoing_messages (id, organisation_id, consultation_id, kind, to_address, to_name, subject, body, html_body, \
         status, attempts, next_attempt_at, resident_id, consent_purpose, unsubscribe_hash, list_unsubscribe, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'waiting', 0, $10, $11, $12, $13, $14, $10)",
    )
    .bind(&id)
    .bind(o.organisation_id)
    .bind(o.consultation_id)
    .bind(o.kind.as_str())
    .bind(o.to_address)
    .bind(crate::domain::mail::header_name(o.to_name))
    .bind(o.letter.subject())
    .bind(o.letter.text())
    .bind(o.letter.html(o.lang))
    .bind(now)
    .bind(resident_id)
    .bind(purpose)
    .bind(unsubscribe_hash)
    .bind(list_unsubscribe)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Wakes the sender when something has been queued, so a verification link arrives in seconds,
/// not at the next poll.
#[derive(Clone, Debug, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn now(&self) {
        self.0.notify_one();
    }
    async fn wait(&self, most: Duration) {
        let _ = tokio::time::timeout(most, self.0.notified()).await;
    }
}

/// Where messages go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, String),
}

/// Claims, sends and records. Several senders (one per app instance) can share a database.
pub struct Sender {
    transport: Transport,
    from: Mailbox,
    max_attempts: u32,
    /// Names this sender's claims.
    id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SenderError {
    #[error("MOBILISE_SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("MOBILISE_MAIL_FROM: {0}")]
    From(String),
    #[error("MOBILISE_MAIL_DIR {0}: {1}")]
    Dir(String, std::io::Error),
}

/// What one pass of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    pub cancelled: u64,
}

impl Pass {
    pub fn claimed(&self) -> u64 {
        self.sent + self.retried + self.failed + self.cancelled
    }
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: String,
    to_address: String,
    to_name: String,
    subject: String,
    body: String,
    html_body: String,
    attempts: i64,
    resident_id: Option<String>,
    consent_purpose: Option<String>,
    list_unsubscribe: Option<String>,
}

impl Sender {
    pub fn from_config(config: &MailConfig) -> Result<Sender, SenderError> {
        let from: Mailbox = config.from.parse().map_err(|e: lettre::address::AddressError| SenderError::From(e.to_string()))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| SenderError::SmtpUrl(e.to_string()))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&config.dir).map_err(|e| SenderError::Dir(config.dir.clone(), e))?;
                Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(&config.dir), config.dir.clone())
            }
        };
        Ok(Sender { transport, from, max_attempts: config.max_attempts, id: uuid::Uuid::new_v4().to_string() })
    }

    /// Where messages go, for the log at start-up (no password).
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "an SMTP server (MOBILISE_SMTP_URL)".into(),
            Transport::Files(_, dir) => format!("files in {dir}/ (no MOBILISE_SMTP_URL set: nothing leaves this machine)"),
        }
    }

    /// One pass at a fixed time: claims up to `limit` due messages and deals with each.
    pub async fn send_due(&self, db: &Db, now: i64, limit: i64) -> sqlx::Result<Pass> {
        self.pass(db, &|| now, limit).await
    }

    /// Sends everything due, pass after pass of a few messages each (every claim and every send
    /// reads the clock afresh, so a lease never runs out while its message waits its turn),
    /// until a pass finds nothing it could finish.
    pub async fn send_all_due(&self, db: &Db, clock: impl Fn() -> i64 + Sync) -> sqlx::Result<Pass> {
        let mut total = Pass::default();
        loop {
            let pass = self.pass(db, &clock, BATCH).await?;
            total.sent += pass.sent;
            total.retried += pass.retried;
            total.failed += pass.failed;
            total.cancelled += pass.cancelled;
            if pass.claimed() == 0 || pass.sent + pass.failed + pass.cancelled == 0 {
                return Ok(total);
            }
        }
    }

    async fn pass(&self, db: &Db, clock: &(dyn Fn() -> i64 + Sync), limit: i64) -> sqlx::Result<Pass> {
        let claimed = self.claim(db, clock(), limit).await?;
        let mut pass = Pass::default();
        for message in claimed {
            self.deal_with(db, message, clock(), &mut pass).await?;
        }
        Ok(pass)
    }

    async fn claim(&self, db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<Claimed>> {
        // A person's own account business (a reset link, a confirmation) goes before a bulk send.
        let urgent =
            MessageKind::ALL.iter().filter(|k| !k.is_marketing_like()).map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "UPDATE outgoing_messages SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outgoing_messages WHERE status = 'waiting' AND next_attempt_at <= $3 \
                          AND (claimed_until IS NULL OR claimed_until < $3) \
                          ORDER BY CASE WHEN kind IN ({urgent}) THEN 0 ELSE 1 END, next_attempt_at, id LIMIT $4{}) \
             RETURNING id, to_address, to_name, subject, body, html_body, attempts, resident_id, consent_purpose, list_unsubscribe",
            db.skip_locked()
        );
        sqlx::query_as(&sql).bind(&self.id).bind(now + CLAIM_SECS).bind(now).bind(limit).fetch_all(db).await
    }

    async fn deal_with(&self, db: &Db, m: Claimed, now: i64, pass: &mut Pass) -> sqlx::Result<()> {
        // Still ours, for long enough to send it? (Another sender takes a claim that ran out.)
        let renewed =
            sqlx::query("UPDATE outgoing_messages SET claimed_until = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'waiting'")
                .bind(now + CLAIM_SECS)
                .bind(&m.id)
                .bind(&self.id)
                .execute(db)
                .await?
                .rows_affected();
        if renewed != 1 {
            return Ok(());
        }
        let attempts = u32::try_from(m.attempts).unwrap_or(u32::MAX);
        if attempts > self.max_attempts {
            // Claimed that many times without an answer: a sender stopped while sending it.
            self.finish(db, &m.id, "failed", Some("no answer after the last try (the sender stopped while sending)"), now).await?;
            pass.failed += 1;
            return Ok(());
        }
        if let (Some(resident), Some(purpose)) = (&m.resident_id, &m.consent_purpose) {
            if !still_agreed(db, resident, purpose).await? {
                self.finish(db, &m.id, "cancelled", None, now).await?;
                pass.cancelled += 1;
                return Ok(());
            }
        }
        let message = match self.build(&m) {
            Ok(message) => message,
            Err(problem) => {
                // An address that cannot be written as a mail header will never go.
                tracing::warn!(message = %m.id, to = %mask_email(&m.to_address), %problem, "outgoing message cannot be sent");
                self.finish(db, &m.id, "failed", Some(&problem), now).await?;
                pass.failed += 1;
                return Ok(());
            }
        };
        let result = match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map(|_| "smtp".to_string()).map_err(|e| (refused_for_good(&e), e.to_string()))
            }
            Transport::Files(files, dir) => {
                files.send(message).await.map(|file| format!("{dir}/{file}.eml")).map_err(|e| (false, e.to_string()))
            }
        };
        match result {
            Ok(how) => {
                if matches!(self.transport, Transport::Files(..)) {
                    tracing::info!(message = %m.id, to = %mask_email(&m.to_address), file = %how, "outgoing message written as a file (no SMTP server configured)");
                }
                self.finish(db, &m.id, "sent", None, now).await?;
                pass.sent += 1;
            }
            Err((permanent, problem)) => {
                let next = if permanent { AfterFailure::GiveUp } else { after_failure(attempts, self.max_attempts, now) };
                tracing::warn!(message = %m.id, to = %mask_email(&m.to_address), attempts, %problem, ?next, "outgoing message not sent");
                match next {
                    AfterFailure::RetryAt(at) => {
                        sqlx::query(
                            "UPDATE outgoing_messages SET next_attempt_at = $1, last_error = $2, claimed_by = NULL, claimed_until = NULL \
                             WHERE id = $3 AND claimed_by = $4",
                        )
                        .bind(at)
                        .bind(crate::domain::validation::one_line(&problem, 500))
                        .bind(&m.id)
                        .bind(&self.id)
                        .execute(db)
                        .await?;
                        pass.retried += 1;
                    }
                    AfterFailure::GiveUp => {
                        self.finish(db, &m.id, "failed", Some(&problem), now).await?;
                        pass.failed += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Sent, failed or cancelled: the words (which may hold a working link) go; what was sent,
    /// to whom and when stays for the admin's list and the person's subject access.
    async fn finish(&self, db: &Db, id: &str, status: &str, error: Option<&str>, now: i64) -> sqlx::Result<()> {
        let done = sqlx::query(
            "UPDATE outgoing_messages SET status = $1, finished_at = $2, sent_at = CASE WHEN $1 = 'sent' THEN $2 ELSE NULL END, \
             sent_by = CASE WHEN $1 = 'sent' THEN $3 ELSE NULL END, last_error = COALESCE($4, last_error), body = '', html_body = '', \
             list_unsubscribe = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = $5 AND claimed_by = $6",
        )
        .bind(status)
        .bind(now)
        .bind(match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(..) => "file",
        })
        .bind(error.map(|e| crate::domain::validation::one_line(e, 500)))
        .bind(id)
        .bind(&self.id)
        .execute(db)
        .await?
        .rows_affected();
        if done != 1 {
            tracing::warn!(message = %id, status, "outgoing message was claimed by another sender meanwhile");
        }
        Ok(())
    }

    fn build(&self, m: &Claimed) -> Result<Message, String> {
        let address: lettre::Address = m.to_address.parse().map_err(|e: lettre::address::AddressError| format!("address: {e}"))?;
        let name = crate::domain::mail::header_name(&m.to_name);
        let to = Mailbox::new((!name.is_empty()).then_some(name), address);
        let domain = self.from.email.domain().to_string();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(crate::domain::validation::one_line(&m.subject, crate::domain::mail::MAX_SUBJECT))
            .message_id(Some(format!("<{}@{}>", m.id, domain)));
        if let Some(link) = &m.list_unsubscribe {
            // RFC 8058: a mail client's "Unsubscribe" button POSTs `List-Unsubscribe=One-Click` here.
            builder = builder.header(ListUnsubscribe(format!("<{link}>"))).header(ListUnsubscribePost);
        }
        let builder = builder.header(AutoSubmitted);
        let sent = if m.html_body.is_empty() {
            // Queued before messages had an HTML part.
            builder.header(header::ContentType::TEXT_PLAIN).body(m.body.clone())
        } else {
            builder.multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(header::ContentType::TEXT_PLAIN).body(m.body.clone()))
                    .singlepart(SinglePart::builder().header(header::ContentType::TEXT_HTML).body(m.html_body.clone())),
            )
        };
        sent.map_err(|e| e.to_string())
    }
}

/// The purpose's newest decision is still "yes" (the rule of `domain::privacy::consent_state`).
async fn still_agreed(db: &Db, resident_id: &str, purpose: &str) -> sqlx::Result<bool> {
    let Some(purpose) = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == purpose) else { return Ok(false) };
    let ledger = super::repo::privacy::consent_ledger(db, resident_id).await?;
    Ok(crate::domain::privacy::consent_state(&ledger, purpose).granted())
}

#[derive(Clone, Debug)]
struct ListUnsubscribe(String);
impl header::Header for ListUnsubscribe {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone, Debug)]
struct ListUnsubscribePost;
impl header::Header for ListUnsubscribePost {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// RFC 3834: sent by the organisation's system, so out-of-office replies stay away.
#[derive(Clone, Debug)]
struct AutoSubmitted;
impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The sender's loop: every few seconds, or as soon as something is queued. Each round runs in
/// its own task, so a panic in one is logged and the next round goes on.
pub fn spawn_sender(db: Db, sender: Sender, wake: Wake, draining: super::jobs::Draining) {
    let sender = Arc::new(sender);
    tokio::spawn(async move {
        // A stopping instance claims nothing new: what it has not sent, another sends.
        while !draining.is_on() {
            let (db_round, sender_round) = (db.clone(), sender.clone());
            let round = tokio::spawn(async move { sender_round.send_all_due(&db_round, now).await });
            match round.await {
                Ok(Ok(pass)) if pass.claimed() > 0 => {
                    tracing::info!(
                        sent = pass.sent,
                        retried = pass.retried,
                        failed = pass.failed,
                        cancelled = pass.cancelled,
                        "outgoing mail"
                    );
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(%e, "could not send outgoing messages"),
                Err(e) => tracing::error!(%e, "the mail sender stopped unexpectedly; starting it again"),
            }
            wake.wait(Duration::from_secs(5)).await;
        }
    });
}

/// A refusal that trying again will not change: the server rejected this recipient or this
/// message (550-553). Anything else, a wrong SMTP password (535) included, is tried again: it is
/// the configuration that needs fixing, and the messages must survive until it is.
fn refused_for_good(e: &lettre::transport::smtp::Error) -> bool {
    e.is_permanent() && e.status().is_some_and(|code| matches!(u16::from(code), 550..=553))
}

/// How many messages of this kind went (or wait to go) to this address since then: to keep a form
/// from being used to flood someone's inbox. To cap them, call it inside the transaction that
/// queues the next one, after `repo::users::lock`.
pub async fn recent_to(conn: &mut sqlx::AnyConnection, address: &str, kind: MessageKind, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_messages WHERE LOWER(to_address) = LOWER($1) AND kind = $2 AND created_at >= $3")
        .bind(address)
        .bind(kind.as_str())
        .bind(since)
        .fetch_one(conn)
        .await
}

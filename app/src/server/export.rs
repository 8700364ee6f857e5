//! `GET /manage/consultations/{id}/responses.csv`: every response to a consultation, one row
//! each, for the organisation's admins. No personal data: no email, no participant key, only
//! a random response id, the date, the area given and the answers.

use super::{auth, repo::consultations as repo, state::AppState};
use crate::domain::consultation::{csv_safe, QuestionKind, SCALE_LABELS};
use crate::domain::validation::safe_filename;
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::header;
use std::collections::BTreeMap;
use tower_sessions::Session;

pub async fn responses_csv(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match build(&state, &session, &id).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"responses.csv\"".to_string()),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

async fn build(state: &AppState, session: &Session, id: &str) -> Result<String, AppError> {
    let caller = auth::Caller::from_parts(state.clone(), session.clone()).await?;
    let user = caller.consultation_manager()?;
    let row = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if row.organisation_id != user.organisation_id {
        return Err(AppError::NotFound);
    }
    let questions = repo::questions(&state.db, id).await?;
    let rows = repo::export_rows(&state.db, id).await?;
    // One record per response, its answers gathered by question.
    // (response id, when, area, whether a worker helped, answers by question)
    type Record = (String, i64, String, bool, BTreeMap<String, Vec<String>>);
    let mut responses: Vec<Record> = Vec::new();
    for (response_id, created_at, area, assisted, question_id, value) in rows {
        if responses.last().map(|r| &r.0) != Some(&response_id) {
            responses.push((response_id, created_at, area, assisted == 1, BTreeMap::new()));
        }
        if let Some(last) = responses.last_mut() {
            last.4.entry(question_id).or_default().push(value);
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut heading = vec!["response".to_string(), "date".into(), "area".into(), "taken at the door".into()];
    heading.extend(questions.iter().map(|q| csv_safe(&q.prompt)));
    out.write_record(&heading).map_err(|e| AppError::internal("csv", e))?;
    for (response_id, created_at, area, assisted, answers) in responses {
        let date = time::OffsetDateTime::from_unix_timestamp(created_at).map(|t| t.date().to_string()).unwrap_or_default();
        let mut record = vec![response_id, date, csv_safe(&area), if assisted { "yes".into() } else { "no".into() }];
        for q in &questions {
            let values = answers.get(&q.id).cloned().unwrap_or_default();
            let shown: Vec<String> = values
                .iter()
                .map(|v| match q.kind {
                    QuestionKind::Scale => v
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| SCALE_LABELS.get(n.wrapping_sub(1)))
                        .map(|l| l.to_string())
                        .unwrap_or_else(|| v.clone()),
                    QuestionKind::FreeText => v.clone(),
                    _ => q.options.iter().find(|o| &o.id == v).map(|o| o.label.clone()).unwrap_or_else(|| v.clone()),
                })
                .collect();
            record.push(csv_safe(&shown.join("; ")));
        }
        out.write_record(&record).map_err(|e| AppError::internal("csv", e))?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::internal("csv", e))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("csv", e))
}

/// `GET /intelligence/export/{table}?from=…`: one table of the intelligence dashboard, with the
/// same filters, the same access rules and the same small-number suppression as the page.
pub async fn dashboard_csv(
    State(state): State<AppState>,
    session: Session,
    Path(table): Path<String>,
    axum::extract::Query(filters): axum::extract::Query<crate::domain::intelligence::Filters>,
    chosen: Option<axum::Extension<crate::language::Chosen>>,
) -> Response {
    // In the language of the page it was downloaded from.
    let locale = chosen.map(|c| c.0 .0).unwrap_or_default();
    let built = async {
        let caller = auth::Caller::from_parts(state.clone(), session).await?;
        let dashboard = crate::server::intelligence::build(&state.db, caller.verified_user()?, filters, locale).await?;
        let rows = crate::server::intelligence::table(locale, &dashboard, &table).ok_or(AppError::NotFound)?;
        let mut out = csv::Writer::from_writer(Vec::new());
        for row in rows {
            out.write_record(row.iter().map(|c| csv_safe(c))).map_err(|e| AppError::internal("csv", e))?;
        }
        let bytes = out.into_inner().map_err(|e| AppError::internal("csv", e))?;
        String::from_utf8(bytes).map_err(|e| AppError::internal("csv", e))
    }
    .await;
    match built {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", safe_filename(&format!("{table}.csv")))),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

/// `POST /privacy/residents/{id}/export`: everything held about a resident (subject access) as
/// one .zip: `subject-access.json` with every kind of record, and the same as one CSV per kind.
/// A POST (from the resident's page), so another site cannot make an admin's browser export;
/// every export is written to the audit log.
/// The subject access form: the password, asked again unless the admin confirmed it recently.
#[derive(serde::Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    export_password: Option<String>,
}

pub async fn subject_access_zip(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    parts: http::request::Parts,
    form: Result<axum::Form<ExportForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    use crate::domain::privacy::AuditAction;
    let built = async {
        let caller = auth::Caller::from_parts(state.clone(), session.clone()).await?;
        let user = caller.require(|r| r.can_handle_data_protection())?;
        let password = form.ok().and_then(|axum::Form(f)| f.export_password);
        auth::confirm_recent(&state, &session, user, password, "export_password").await?;
        // Its sections named in the language of the page it was asked for from (no page renders
        // here, so the request's language is carried in).
        let locale = parts.extensions.get::<crate::language::Chosen>().map(|c| c.0).unwrap_or_default();
        let file = crate::language::WORKING_IN.scope(locale, crate::server::privacy::file(&state, user, &id)).await?;
        let archive = subject_access_archive(&file).map_err(|e| AppError::internal("zip", e))?;
        let address = auth::address_of(&parts, state.config.trust_proxy);
        let mut conn = state.db.acquire().await.map_err(|e| AppError::internal("export", e))?;
        super::repo::privacy::audit(
            &mut conn,
            crate::server::repo::privacy::AuditEntry {
                organisation_id: &user.organisation_id,
                actor: Some(&user.id),
                action: AuditAction::Exported,
                resident_id: Some(&id),
                detail: "JSON and CSV archive",
                address: &address,
                at: super::now(),
            },
        )
        .await
        .map_err(|e| AppError::internal("export", e))?;
        Ok(archive)
    }
    .await;
    match built {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", safe_filename(&format!("subject-access-{id}.zip")))),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        // Back to the page, which asks for the password (the form works without JavaScript). A
        // 307 keeps the POST: the page shows the records (and is audited) only to a POST.
        Err(AppError::Invalid(errors)) if errors.get("export_password").is_some() => {
            let problem =
                if errors.get("export_password") == Some(&crate::domain::Msg::PasswordNotRightEnterPassword) { "wrong" } else { "needed" };
            axum::response::Redirect::temporary(&format!(
                "/privacy/residents/{}?export_password={problem}#export_password",
                crate::domain::validation::safe_filename(&id)
            ))
            .into_response()
        }
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

/// The archive itself: JSON for machines, CSV for people (opened in a spreadsheet).
pub fn subject_access_archive(file: &crate::types::privacy::ResidentFile) -> Result<Vec<u8>, String> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let json = serde_json::json!({
        "resident_id": file.resident.id,
        "produced_on": file.today,
        "records": file.tables.iter().map(|t| serde_json::json!({
            "kind": t.key,
            "title": t.title,
            "lawful_basis": t.lawful_basis,
            "retention": t.retention,
            "rows": t.rows.iter().map(|row| {
                t.columns.iter().zip(row).map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<_, _>>()
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    zip.start_file("subject-access.json", options).map_err(|e| e.to_string())?;
    zip.write_all(serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?.as_bytes()).map_err(|e| e.to_string())?;
    for table in &file.tables {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&table.columns).map_err(|e| e.to_string())?;
        for row in &table.rows {
            out.write_record(row.iter().map(|c| csv_safe(c))).map_err(|e| e.to_string())?;
        }
        let bytes = out.into_inner().map_err(|e| e.to_string())?;
        zip.start_file(format!("{}.csv", table.key), options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

//! A real SMTP server on loopback, written for the tests: it speaks the protocol to lettre over
//! TCP (greeting, EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps every
//! message it accepted. A mailbox whose name starts `unknown.` is refused for good (550), naming
//! the address, as real servers do. It can be stopped (connections refused, as when a mail server is down)
//! and started again on the same port.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent after DATA: headers, a blank line, the body.
    pub data: String,
}

impl Received {
    /// A header's value (unfolded), by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(v) = value.as_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((n, v)) = line.split_once(':') {
                if n.eq_ignore_ascii_case(name) {
                    value = Some(v.trim().to_string());
                }
            }
        }
        value
    }

    /// The plain-text part, decoded from quoted-printable or base64 as lettre chose.
    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    pub fn html(&self) -> String {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> String {
        let boundary = self
            .header("Content-Type")
            .and_then(|t| t.split("boundary=").nth(1).map(|b| b.trim_matches('"').split(';').next().unwrap_or("").to_string()))
            .unwrap_or_default();
        for chunk in self.data.split(&format!("\r\n--{boundary}")) {
            let Some((head, body)) = chunk.split_once("\r\n\r\n") else { continue };
            let lower = head.to_ascii_lowercase();
            if !lower.contains(&format!("content-type: {content_type}")) {
                continue;
            }
            let body = body.trim_end_matches("\r\n");
            return if lower.contains("content-transfer-encoding: base64") {
                let joined: String = body.split("\r\n").collect();
                String::from_utf8(base64_decode(&joined)).unwrap_or_default()
            } else if lower.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.to_string()
            };
        }
        String::new()
    }
}

fn quoted_printable(body: &str) -> String {
    let mut bytes = Vec::new();
    let joined = body.replace("=\r\n", "");
    let raw = joined.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = value(c) else { continue };
        buffer = (buffer << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

pub struct SmtpServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the test SMTP server");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn(serve(listener, received.clone()));
        SmtpServer { addr, received, task: Mutex::new(Some(task)) }
    }

    /// What lettre is given: plain SMTP, since it never leaves this machine.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The server goes away: open connections are cut and new ones refused.
    pub fn stop(&self) {
        if let Some(task) = self.task.lock().unwrap().take() {
            task.abort();
        }
    }

    /// Back on the same port.
    pub async fn restart(&self) {
        self.stop();
        tokio::task::yield_now().await;
        let listener = TcpListener::bind(self.addr).await.expect("bind the test SMTP server again");
        *self.task.lock().unwrap() = Some(tokio::spawn(serve(listener, self.received.clone())));
    }

    /// Forgets what it has received so far.
    pub fn clear(&self) {
        self.received.lock().unwrap().clear();
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The messages to one address, oldest first.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address))).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(listener: TcpListener, received: Arc<Mutex<Vec<Received>>>) {
    // Connections live in this set: when the server is stopped, they are cut with it.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(session(stream, received.clone()));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn session(stream: TcpStream, received: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 smtp.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::<String>::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command.split([' ', ':']).next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-smtp.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n",
            "HELO" => b"250 smtp.test\r\n",
            "MAIL" => {
                from = address_in(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let address = address_in(&command);
                // A mailbox that does not exist, refused for good as a real server does, naming it.
                if address.starts_with("unknown.") {
                    write.write_all(format!("550 5.1.1 <{address}>: Recipient address rejected: User unknown\r\n").as_bytes()).await?;
                    continue;
                }
                to.push(address);
                b"250 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2).
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                received.lock().unwrap().push(Received { from: from.clone(), to: std::mem::take(&mut to), data });
                b"250 OK queued\r\n"
            }
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

fn address_in(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(a), Some(b)) if a < b => command[a + 1..b].to_string(),
        _ => String::new(),
    }
}

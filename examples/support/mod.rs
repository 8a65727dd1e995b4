//! Shared by the examples: a client for the real Platform when
//! `TOWER_ACCESS_TOKEN` is set, or for an embedded mock Tower otherwise.

#![allow(dead_code)]

pub mod offline;

use std::io::IsTerminal;

use seqera_tower::Client;

/// The client, and the embedded mock server when running offline (keep it
/// alive as long as the client is used).
pub struct Connection {
    pub client: Client,
    pub mock: Option<httpmock::MockServer>,
}

impl Connection {
    /// True when talking to the embedded mock.
    pub fn offline(&self) -> bool {
        self.mock.is_some()
    }
}

/// Connects to the Platform from the environment, or starts the mock Tower.
pub fn connect() -> Result<Connection, seqera_tower::Error> {
    if std::env::var_os("TOWER_ACCESS_TOKEN").is_some_and(|t| !t.is_empty()) {
        return Ok(Connection {
            client: Client::from_env()?,
            mock: None,
        });
    }
    let mock = offline::start();
    eprintln!(
        "TOWER_ACCESS_TOKEN is not set: running against an embedded mock Tower at {}",
        mock.base_url()
    );
    let client = Client::builder()
        .endpoint(mock.base_url())
        .token("offline-demo-token")
        .workspace_id(offline::WORKSPACE_ID)
        .build()?;
    Ok(Connection {
        client,
        mock: Some(mock),
    })
}

/// A one-line status display: a spinner on a terminal, plain lines otherwise.
pub struct Status {
    bar: Option<indicatif::ProgressBar>,
    last: String,
}

impl Status {
    pub fn new() -> Self {
        let bar = std::io::stdout().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            last: String::new(),
        }
    }

    pub fn set(&mut self, message: String) {
        if message == self.last {
            return;
        }
        match &self.bar {
            Some(bar) => bar.set_message(message.clone()),
            None => println!("  {message}"),
        }
        self.last = message;
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

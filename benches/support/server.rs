//! A minimal keep-alive HTTP/1.1 server on loopback that answers every
//! request with one fixed JSON body and records when each request arrived.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub struct Server {
    pub url: String,
    pub arrivals: Arc<Mutex<Vec<Instant>>>,
}

/// Starts the server on the current runtime.
pub async fn start(body: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let response = Arc::new(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    );
    let seen = arrivals.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    let Ok(n) = socket.read(&mut buf[filled..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    filled += n;
                    // Answer every complete request head in the buffer (GETs
                    // carry no body).
                    while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        seen.lock().expect("arrivals").push(Instant::now());
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                        buf.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                    if filled == buf.len() {
                        return;
                    }
                }
            });
        }
    });
    Server { url, arrivals }
}

/// The most arrivals in any one-second window `[t, t + 1 s)`.
pub fn max_in_any_second(times: &[Instant]) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort();
    let mut worst = 0;
    let mut j = 0;
    for i in 0..sorted.len() {
        while j < sorted.len() && sorted[j].duration_since(sorted[i]).as_secs_f64() < 1.0 {
            j += 1;
        }
        worst = worst.max(j - i);
    }
    worst
}

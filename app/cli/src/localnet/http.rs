//! HTTP framing: one request per connection.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Reads one HTTP request: its method and body, or `None` when the client left before sending
/// it whole.
pub(super) async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
        let Some(end) = request.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..end]);
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            let method = head.split(' ').next().unwrap_or_default().to_owned();
            return Some((method, request[end + 4..end + 4 + length].to_vec()));
        }
    }
}

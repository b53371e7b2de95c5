//! The program's own logs, kept out of standard output. Run in-process, the program's `msg!`
//! (Anchor's error logs among them) prints to the process's standard output, as solana-msg does
//! off-chain; `simulate` needs standard output for its figures and JSON. While a run lasts,
//! file descriptor 1 points at standard error (`--verbose`) or at nothing, and the command writes
//! its own lines to a copy of the real standard output.

use std::io::{self, Write};

/// Standard output diverted from the program's logs until dropped.
pub struct ProgramLogs {
    /// The real standard output, restored on drop.
    #[cfg(unix)]
    saved: std::os::fd::OwnedFd,
}

impl ProgramLogs {
    /// Sends file descriptor 1 to standard error when `verbose`, else to nowhere; returns the
    /// guard and a writer to the real standard output.
    #[cfg(unix)]
    pub fn divert(verbose: bool) -> io::Result<(Self, Box<dyn Write>)> {
        use std::os::fd::{AsFd, AsRawFd};
        io::stdout().flush()?;
        let saved = io::stdout().as_fd().try_clone_to_owned()?;
        let answer = Box::new(std::fs::File::from(saved.try_clone()?));
        let target = if verbose {
            io::stderr().as_fd().try_clone_to_owned()?
        } else {
            std::fs::File::options()
                .write(true)
                .open("/dev/null")?
                .into()
        };
        redirect_stdout(target.as_raw_fd())?;
        Ok((Self { saved }, answer))
    }

    /// Elsewhere the program's logs stay on standard output.
    #[cfg(not(unix))]
    pub fn divert(_verbose: bool) -> io::Result<(Self, Box<dyn Write>)> {
        Ok((Self {}, Box::new(io::stdout())))
    }
}

#[cfg(unix)]
impl Drop for ProgramLogs {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // Nothing to report from a drop: at worst the program's logs keep their place.
        let _ = io::stdout().flush();
        let _ = redirect_stdout(self.saved.as_raw_fd());
    }
}

/// Points file descriptor 1 at `fd`.
#[cfg(unix)]
fn redirect_stdout(fd: std::os::fd::RawFd) -> io::Result<()> {
    // SAFETY: `dup2` only reads two descriptor numbers; `fd` is open for the call's duration.
    if unsafe { libc::dup2(fd, libc::STDOUT_FILENO) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

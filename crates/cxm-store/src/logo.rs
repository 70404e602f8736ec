//! The report logo: a PNG or JPEG file the user picked, checked, scaled to fit
//! [`LOGO_MAX_WIDTH`] × [`LOGO_MAX_HEIGHT`] (keeping its aspect, never enlarged),
//! re-encoded as PNG (the report's format) and kept in the settings (`report.logo`,
//! base64 text).

use std::io::{Cursor, Read};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageFormat, ImageReader, Limits, imageops::FilterType};

use crate::{Result, Store, StoreError};

/// The largest logo file read, in bytes.
pub const MAX_LOGO_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The largest logo decoded, in pixels per side.
pub const MAX_LOGO_PIXELS: u32 = 10_000;
/// A stored logo is at most this wide, in pixels.
pub const LOGO_MAX_WIDTH: u32 = 1200;
/// A stored logo is at most this high, in pixels.
pub const LOGO_MAX_HEIGHT: u32 = 400;

/// Setting: the logo, PNG as base64 text.
pub const SETTING_LOGO: &str = "report.logo";
/// Setting: the "prepared by" text on the report's cover.
pub const SETTING_PREPARED_BY: &str = "report.prepared_by";
/// The longest "prepared by" text, in characters.
pub const MAX_PREPARED_BY_CHARS: usize = 200;

/// A logo ready for the report: PNG bytes and their size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// The PNG file.
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Logo {
    /// The PNG as base64 text (for a `data:image/png;base64,` address).
    pub fn base64(&self) -> String {
        STANDARD.encode(&self.png)
    }
}

fn invalid(message: String) -> StoreError {
    StoreError::Invalid(message)
}

/// Reads the logo file at `path` (at most [`MAX_LOGO_FILE_BYTES`]) and prepares it
/// ([`prepare_logo`]); errors name the file without its folder.
pub fn read_logo_file(path: &Path) -> Result<Logo> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(invalid(format!("{name} is not a file")));
    }
    if meta.len() > MAX_LOGO_FILE_BYTES {
        return Err(too_large_file(&name, meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LOGO_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    prepare_logo(&name, &bytes)
}

fn too_large_file(name: &str, bytes: u64) -> StoreError {
    invalid(format!(
        "{name} is too large ({:.1} MB; a logo file can be at most {} MB)",
        bytes as f64 / (1024.0 * 1024.0),
        MAX_LOGO_FILE_BYTES / (1024 * 1024)
    ))
}

/// Checks that `bytes` (the file `name`) is a PNG or JPEG image of sensible size,
/// scales it to fit [`LOGO_MAX_WIDTH`] × [`LOGO_MAX_HEIGHT`] keeping its aspect (never
/// enlarging it) and encodes it as PNG.
pub fn prepare_logo(name: &str, bytes: &[u8]) -> Result<Logo> {
    if bytes.len() as u64 > MAX_LOGO_FILE_BYTES {
        return Err(too_large_file(name, bytes.len() as u64));
    }
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else {
        return Err(invalid(format!("{name} is not a PNG or JPEG image")));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| invalid(format!("{name} cannot be read as an image: {e}")))?;
    if w == 0 || h == 0 {
        return Err(invalid(format!("{name} is an empty image")));
    }
    if w > MAX_LOGO_PIXELS || h > MAX_LOGO_PIXELS {
        return Err(invalid(format!(
            "{name} is too large ({w} × {h} pixels; a logo can be at most {MAX_LOGO_PIXELS} × {MAX_LOGO_PIXELS})"
        )));
    }
    reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_LOGO_PIXELS);
    limits.max_image_height = Some(MAX_LOGO_PIXELS);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| invalid(format!("{name} cannot be read as an image: {e}")))?;
    let image = if w > LOGO_MAX_WIDTH || h > LOGO_MAX_HEIGHT {
        image.resize(LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT, FilterType::Lanczos3)
    } else {
        image
    };
    // 8 bits per channel, with an alpha channel only when the image has one.
    let image = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| invalid(format!("{name} cannot be converted to PNG: {e}")))?;
    Ok(Logo {
        png,
        width: image.width(),
        height: image.height(),
    })
}

/// The width and height a PNG's header gives.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

impl Store {
    /// The stored logo, `None` when there is none (or the stored value is unreadable).
    pub fn logo(&self) -> Result<Option<Logo>> {
        let Some(text) = self.setting(SETTING_LOGO)? else {
            return Ok(None);
        };
        let Ok(png) = STANDARD.decode(text.trim()) else {
            return Ok(None);
        };
        Ok(png_size(&png).map(|(width, height)| Logo { png, width, height }))
    }

    /// Stores the logo (from [`prepare_logo`]), or removes it with `None`.
    pub fn set_logo(&mut self, logo: Option<&Logo>) -> Result<()> {
        match logo {
            Some(l) => self.set_setting(SETTING_LOGO, &l.base64()),
            None => {
                self.conn
                    .execute("DELETE FROM settings WHERE key = ?1", [SETTING_LOGO])?;
                Ok(())
            }
        }
    }

    /// The "prepared by" text of the report's cover (trimmed; `None` when unset or blank).
    pub fn prepared_by(&self) -> Result<Option<String>> {
        Ok(self
            .setting(SETTING_PREPARED_BY)?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()))
    }

    /// Sets the "prepared by" text (trimmed, at most [`MAX_PREPARED_BY_CHARS`]); blank
    /// text removes it.
    pub fn set_prepared_by(&mut self, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return self.set_setting(SETTING_PREPARED_BY, "");
        }
        let text = clean_prepared_by(text)?;
        self.set_setting(SETTING_PREPARED_BY, &text)
    }
}

/// A "prepared by" text as the report prints it: a name's rules
/// ([`cxm_domain::text::clean_name`]) and at most [`MAX_PREPARED_BY_CHARS`]
/// characters. The store's setting and `cxm report --prepared-by` both go through it.
pub fn clean_prepared_by(text: &str) -> Result<String> {
    cxm_domain::text::clean_name(text, "\"prepared by\" text", MAX_PREPARED_BY_CHARS)
        .map_err(invalid)
}

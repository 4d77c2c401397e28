#pragma once

#include "config/appconfig.h"

#include <QString>

namespace breakwater {

// Writes the config as a JSON file the loader reads back (printConfig's layout), atomically.
// Secrets are written empty, never as their values and never as the printer's mask: a key on disk
// sits in a plain file that gets copied and shared, and the mask would make the file unloadable.
// With services.elevenlabs.api_key empty the loader takes the key from ELEVENLABS_API_KEY, or the
// user adds it to the file by hand. Returns why the file could not be written, or "".
QString writeConfigFileWithoutSecrets(const AppConfig& config, const QString& path);

} // namespace breakwater

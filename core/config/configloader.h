#pragma once

#include "appconfig.h"
#include "configerror.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace breakwater {

// The outcome of reading a config: the config, or the first thing wrong with it.
struct ConfigLoad
{
    AppConfig config; // the defaults when error is set: nothing half-applied
    std::optional<ConfigError> error;
    // Accepted but probably not meant (a real server and no API key): worth showing, never fatal.
    QStringList warnings;

    bool ok() const noexcept { return !error; }
};

// Parses a JSON config (nested objects, every key optional). Checks, in this order: JSON syntax,
// an object at the top, keys given twice (document order), then each object's keys in
// alphabetical order, depth first: unknown key, type, range; then rules across keys section by
// section. The first problem found is the error. An absent or empty services.elevenlabs.api_key
// is taken from ELEVENLABS_API_KEY in `environment`.
ConfigLoad
parseConfig(const QByteArray& json,
            const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

// Reads and parses the file. A missing, unreadable or oversized file is an error naming it; with
// no file at all, use AppConfig's defaults.
ConfigLoad
loadConfigFile(const QString& path,
               const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

// loadConfigFile(path), or with an empty path the defaults with the environment's secrets.
ConfigLoad loadConfigOrDefaults(const QString& path, const QProcessEnvironment& environment =
                                                         QProcessEnvironment::systemEnvironment());

} // namespace breakwater

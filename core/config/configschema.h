#pragma once

#include "appconfig.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace breakwater {

// What a key accepts. Integers are JSON numbers without a fraction (3 and 3.0, not 3.5).
enum class ConfigType : quint8
{
    Integer,
    Number,
    Boolean,
    String,
    StringList
};

// What printConfig shows for a secret that is set. Pasted back into a config it is refused, so a
// printed config never silently runs with "********" as its key.
inline constexpr QLatin1StringView kMaskedSecret("********");

// Where the API key comes from when services.elevenlabs.api_key is absent or empty.
inline constexpr QLatin1StringView kApiKeyEnvironmentVariable("ELEVENLABS_API_KEY");

// Scripts beyond this many are refused: the list is held in memory and sampled per call.
inline constexpr int kMaxScripts = 10000;

// One key of the config file: its dotted path, what it accepts, and which AppConfig field it
// reads and writes. The table of these is the single source of truth for the loader (known keys,
// types, ranges), the printer (every key) and the tests (every key documented and exemplified).
struct ConfigKey
{
    QString path; // "breaker.window_size"
    ConfigType type = ConfigType::Integer;
    // Integer and Number: the inclusive range. String and StringList items: the length range in
    // characters.
    double minimum = 0;
    double maximum = 0;
    QStringList choices; // String: the only accepted values (empty: any within the length range)
    bool secret = false; // never echoed in an error, masked when printed

    std::function<QJsonValue(const AppConfig&)> read;
    // Stores a value the loader has already checked for type, range and choices; returns why it is
    // still unusable (a URL without a host, say), or an empty string.
    std::function<QString(AppConfig&, const QJsonValue&)> write;
};

// Every key, section by section in the order the documentation lists them.
const std::vector<ConfigKey>& configKeys();

// The key at exactly this dotted path, or nullptr.
const ConfigKey* findConfigKey(QStringView path);

// Whether the path is a section holding keys ("services", "services.elevenlabs", "retry.budget").
bool isConfigSection(QStringView path);

// The names directly inside a section ("" for the top level), keys and sections alike, in table
// order.
QStringList configChildren(QStringView section);

} // namespace breakwater

#pragma once

#include <QString>

namespace breakwater {

// Why a config was refused: the dotted key it is about ("" when it is about the document as a
// whole) and the reason. Never holds the value of a secret.
struct ConfigError
{
    QString key;
    QString reason;

    // "breaker.window_size: must be between 1 and 65535", or the bare reason when there is no key.
    QString text() const;

    friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

} // namespace breakwater

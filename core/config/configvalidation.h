#pragma once

#include "appconfig.h"
#include "configerror.h"
#include "configschema.h"

#include <QJsonValue>

#include <optional>

namespace breakwater {

// "a string", "an array", "null": what a value is, without what it holds.
QString describeJsonType(const QJsonValue& value);

// Why the value does not fit the key (type, range, length or choices), or an empty string. Never
// quotes the value: it may be a secret pasted into the wrong place.
QString checkConfigValue(const ConfigKey& key, const QJsonValue& value);

// The first rule spanning several keys that the config breaks ("minimum_calls must not exceed
// window_size"), found by the core's own validators and keyed by the config file's names. Checked
// section by section: retry, breaker, health, simulator.
std::optional<ConfigError> checkConfigCombinations(const AppConfig& config);

} // namespace breakwater

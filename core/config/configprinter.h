#pragma once

#include "appconfig.h"

#include <QByteArray>

namespace breakwater {

// The effective config as indented JSON: every key, nested by section, keys alphabetical within
// each object. A secret prints as "********" when set and "" when not, so the output is safe to
// show and share; parseConfig refuses the mask, so it never runs as a key by accident.
QByteArray printConfig(const AppConfig& config);

} // namespace breakwater

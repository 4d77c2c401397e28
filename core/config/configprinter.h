#pragma once

#include "appconfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringView>

namespace breakwater {

// The effective config as indented JSON: every key, nested by section, keys alphabetical within
// each object. A secret prints as "********" when set and "" when not, so the output is safe to
// show and share; parseConfig refuses the mask, so it never runs as a key by accident.
QByteArray printConfig(const AppConfig& config);

// Sets a dotted config path ("breaker.window_size") in a JSON object, creating the sections on
// the way.
void insertAtPath(QJsonObject& object, QStringView path, const QJsonValue& value);

} // namespace breakwater

#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace breakwater {

// The dotted path ("retry.max_retries", "load.scripts[2].x") of the first key that appears twice
// in one object, in document order. QJsonDocument keeps only the last of such keys, so a config
// that sets a key twice would silently lose the first value. Expects JSON that already parsed.
std::optional<QString> findDuplicateJsonKey(const QByteArray& json);

} // namespace breakwater

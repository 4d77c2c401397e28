#pragma once

#include "config/configschema.h"

#include <QJsonValue>
#include <QString>
#include <QWidget>

namespace breakwater {

// The widget that edits one config key, named after it (objectName is the key's path, such as
// "breaker.window_size") so the dialog and tests find it: a check box for a boolean, a combo box
// for a fixed list of names, a line edit for numbers and text. Numbers are typed, not spun, so
// any value can be entered and the core's own checks say what is wrong with it. Not for string
// lists or secrets (ApiKeyEditor).
QWidget* createConfigFieldEditor(const ConfigKey& key, const QString& label, QWidget* parent);

// Shows the key's value (as ConfigKey::read gives it) in an editor made for that key.
void showConfigValue(QWidget* editor, const ConfigKey& key, const QJsonValue& value);

// What the editor holds, as the JSON value the config file would carry, or why it cannot be one
// (text that is no number). Range, length and choices are left to the core's checks.
struct EditedValue
{
    QJsonValue value;
    QString problem;
};
EditedValue editedConfigValue(const QWidget* editor, const ConfigKey& key);

} // namespace breakwater

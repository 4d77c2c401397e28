#include "configfieldeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <optional>

namespace breakwater {

namespace {

// The largest integer a double holds exactly, past which a bound prints in exponent form.
constexpr double kLargestExactInteger = 9'007'199'254'740'992.0;

QString formatNumber(double value)
{
    if (std::trunc(value) == value && std::abs(value) < kLargestExactInteger)
        return QString::number(static_cast<qint64>(value));
    return QLocale::c().toString(value, 'g', QLocale::FloatingPointShortest);
}

// Typed the C way ("0.5") or the user's ("0,5").
std::optional<double> parseNumber(const QString& text)
{
    const QString trimmed = text.trimmed();
    bool ok = false;
    double value = QLocale::c().toDouble(trimmed, &ok);
    if (!ok)
        value = QLocale().toDouble(trimmed, &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

bool isNumeric(const ConfigKey& key)
{
    return key.type == ConfigType::Integer || key.type == ConfigType::Number;
}

QString rangeText(const ConfigKey& key)
{
    return QStringLiteral("%1 to %2").arg(formatNumber(key.minimum), formatNumber(key.maximum));
}

} // namespace

QWidget* createConfigFieldEditor(const ConfigKey& key, const QString& label, QWidget* parent)
{
    QWidget* editor = nullptr;
    QString toolTip = key.path;
    if (key.type == ConfigType::Boolean) {
        editor = new QCheckBox(label, parent);
    } else if (!key.choices.isEmpty()) {
        auto* combo = new QComboBox(parent);
        // The names as the config file and the log spell them.
        for (const QString& choice : key.choices)
            combo->addItem(choice, choice);
        editor = combo;
    } else {
        auto* line = new QLineEdit(parent);
        if (isNumeric(key)) {
            line->setPlaceholderText(rangeText(key));
            toolTip = QStringLiteral("%1: %2").arg(key.path, rangeText(key));
        }
        editor = line;
    }
    editor->setObjectName(key.path);
    editor->setToolTip(toolTip);
    editor->setAccessibleName(label);
    return editor;
}

void showConfigValue(QWidget* editor, const ConfigKey& key, const QJsonValue& value)
{
    if (auto* check = qobject_cast<QCheckBox*>(editor)) {
        check->setChecked(value.toBool());
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        combo->setCurrentIndex(std::max(0, combo->findData(value.toString())));
    } else if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        if (key.type == ConfigType::Integer)
            line->setText(QString::number(value.toInteger()));
        else if (key.type == ConfigType::Number)
            line->setText(formatNumber(value.toDouble()));
        else
            line->setText(value.toString());
    }
}

EditedValue editedConfigValue(const QWidget* editor, const ConfigKey& key)
{
    if (const auto* check = qobject_cast<const QCheckBox*>(editor))
        return {QJsonValue(check->isChecked()), {}};
    if (const auto* combo = qobject_cast<const QComboBox*>(editor))
        return {QJsonValue(combo->currentData().toString()), {}};
    const auto* line = qobject_cast<const QLineEdit*>(editor);
    if (!line)
        return {{}, QStringLiteral("cannot be edited here")};
    if (!isNumeric(key))
        return {QJsonValue(line->text().trimmed()), {}};
    if (line->text().trimmed().isEmpty())
        return {{}, QStringLiteral("needs a value from %1").arg(rangeText(key))};
    const std::optional<double> number = parseNumber(line->text());
    if (!number)
        return {{}, QStringLiteral("must be a number from %1").arg(rangeText(key))};
    return {QJsonValue(*number), {}};
}

} // namespace breakwater

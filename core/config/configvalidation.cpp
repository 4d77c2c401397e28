#include "configvalidation.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>
#include <utility>
#include <vector>

namespace breakwater {

namespace {} // namespace

QString describeJsonType(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

namespace {

QString expectedType(ConfigType type)
{
    switch (type) {
    case ConfigType::Integer:
        return QStringLiteral("an integer");
    case ConfigType::Number:
        return QStringLiteral("a number");
    case ConfigType::Boolean:
        return QStringLiteral("true or false");
    case ConfigType::String:
        return QStringLiteral("a string");
    case ConfigType::StringList:
        return QStringLiteral("an array of strings");
    }
    return {};
}

QString wrongType(const ConfigKey& key, const QJsonValue& value)
{
    return QStringLiteral("expected %1, got %2")
        .arg(expectedType(key.type), describeJsonType(value));
}

// Every bound in the table is a whole number; printed as one, 1073741824 stays readable.
QString formatBound(double bound)
{
    return std::trunc(bound) == bound ? QString::number(static_cast<qint64>(bound))
                                      : QString::number(bound);
}

QString checkRange(const ConfigKey& key, double value)
{
    if (value >= key.minimum && value <= key.maximum)
        return {};
    return QStringLiteral("must be between %1 and %2")
        .arg(formatBound(key.minimum), formatBound(key.maximum));
}

QString checkText(const ConfigKey& key, const QString& text)
{
    if (!key.choices.isEmpty()) {
        if (key.choices.contains(text))
            return {};
        return QStringLiteral("must be one of: %1").arg(key.choices.join(QLatin1StringView(", ")));
    }
    if (text.size() < key.minimum)
        return key.minimum == 1 ? QStringLiteral("must not be empty")
                                : QStringLiteral("must be at least %1 characters long")
                                      .arg(formatBound(key.minimum));
    if (text.size() > key.maximum)
        return QStringLiteral("must be at most %1 characters long").arg(formatBound(key.maximum));
    return {};
}

QString checkList(const ConfigKey& key, const QJsonArray& items)
{
    if (items.size() > kMaxScripts)
        return QStringLiteral("must hold at most %1 items").arg(kMaxScripts);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (!item.isString())
            return QStringLiteral("expected an array of strings, item %1 is %2")
                .arg(i + 1)
                .arg(describeJsonType(item));
        if (const QString problem = checkText(key, item.toString()); !problem.isEmpty())
            return QStringLiteral("item %1 %2").arg(i + 1).arg(problem);
    }
    return {};
}

using Renames = std::vector<std::pair<QString, QString>>;

// The core's validators name fields in their own words ("cap must be at least base"): rename
// those words to the config file's keys, then key the error by the field the message starts with,
// or by the section when it names none.
std::optional<ConfigError> fromValidator(const QString& message, const QString& section,
                                         const Renames& renames = {})
{
    if (message.isEmpty())
        return std::nullopt;
    QString text = message;
    for (const auto& [from, to] : renames)
        text.replace(
            QRegularExpression(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(from))),
            to);
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    if (space > 0) {
        QString field = text.left(space);
        while (field.endsWith(QLatin1Char(':')) || field.endsWith(QLatin1Char(',')))
            field.chop(1);
        const QString path = section % QLatin1Char('.') % field;
        if (findConfigKey(path))
            return ConfigError{path, text.mid(space + 1).trimmed()};
    }
    return ConfigError{section, text};
}

} // namespace

QString checkConfigValue(const ConfigKey& key, const QJsonValue& value)
{
    switch (key.type) {
    case ConfigType::Integer:
        if (!value.isDouble())
            return wrongType(key, value);
        if (std::trunc(value.toDouble()) != value.toDouble())
            return QStringLiteral("expected an integer, got a number with a fraction");
        return checkRange(key, value.toDouble());
    case ConfigType::Number:
        if (!value.isDouble())
            return wrongType(key, value);
        return checkRange(key, value.toDouble());
    case ConfigType::Boolean:
        return value.isBool() ? QString() : wrongType(key, value);
    case ConfigType::String:
        return value.isString() ? checkText(key, value.toString()) : wrongType(key, value);
    case ConfigType::StringList:
        return value.isArray() ? checkList(key, value.toArray()) : wrongType(key, value);
    }
    return {};
}

std::optional<ConfigError> checkConfigCombinations(const AppConfig& config)
{
    const QString retry = QStringLiteral("retry");
    const Renames backoffNames = {{QStringLiteral("base"), QStringLiteral("base_delay_ms")},
                                  {QStringLiteral("cap"), QStringLiteral("max_delay_ms")}};
    if (auto error = fromValidator(validateBackoff(config.retry.backoff), retry, backoffNames))
        return error;
    if (auto error =
            fromValidator(validateRetryBudget(config.retry.budget), QStringLiteral("retry.budget")))
        return error;
    const Renames retryNames = {{QStringLiteral("max_attempts"), QStringLiteral("max_retries")}};
    if (auto error = fromValidator(validateRetryConfig(config.retry), retry, retryNames))
        return error;
    if (auto error =
            fromValidator(validateBreakerConfig(config.breaker), QStringLiteral("breaker")))
        return error;
    if (auto error = fromValidator(validateHealthConfig(config.health), QStringLiteral("health")))
        return error;
    // Not "mode": it is also a word in the reasons ("a failure mode").
    const Renames faultNames = {{QStringLiteral("latency"), QStringLiteral("latency_ms")},
                                {QStringLiteral("retry_after"), QStringLiteral("retry_after_s")}};
    return fromValidator(validateFaultPlan(config.simulator.initialPlan),
                         QStringLiteral("simulator"), faultNames);
}

} // namespace breakwater

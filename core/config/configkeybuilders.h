#pragma once

// Building blocks of the key table in configschema.cpp: one per kind of value, each binding a
// dotted path to an AppConfig field. `field` is a generic lambda returning a reference to the
// member, so one accessor serves both reading (const) and writing.

#include "configschema.h"

#include <QJsonValue>
#include <QLatin1StringView>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <type_traits>

namespace breakwater {

inline constexpr double kMaxConfigStringLength = 4096;

inline ConfigKey makeKey(const QString& path, ConfigType type, double minimum = 0,
                         double maximum = 0, const QStringList& choices = {})
{
    ConfigKey key;
    key.path = path;
    key.type = type;
    key.minimum = minimum;
    key.maximum = maximum;
    key.choices = choices;
    return key;
}

template <typename Field>
ConfigKey integerKey(const char* path, double minimum, double maximum, Field field)
{
    ConfigKey key = makeKey(QString::fromLatin1(path), ConfigType::Integer, minimum, maximum);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(static_cast<qint64>(field(c)));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) {
        using Target = std::remove_reference_t<decltype(field(c))>;
        field(c) = static_cast<Target>(v.toInteger());
        return QString();
    };
    return key;
}

// A duration written in the file as a whole number of Unit (milliseconds or seconds).
template <typename Unit, typename Field>
ConfigKey durationKey(const char* path, double minimum, double maximum, Field field)
{
    ConfigKey key = makeKey(QString::fromLatin1(path), ConfigType::Integer, minimum, maximum);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(static_cast<qint64>(std::chrono::duration_cast<Unit>(field(c)).count()));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) {
        using Target = std::remove_reference_t<decltype(field(c))>;
        field(c) = std::chrono::duration_cast<Target>(Unit(v.toInteger()));
        return QString();
    };
    return key;
}

template <typename Field>
ConfigKey numberKey(const char* path, double minimum, double maximum, Field field)
{
    ConfigKey key = makeKey(QString::fromLatin1(path), ConfigType::Number, minimum, maximum);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(field(c));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) {
        field(c) = v.toDouble();
        return QString();
    };
    return key;
}

template <typename Field> ConfigKey booleanKey(const char* path, Field field)
{
    ConfigKey key = makeKey(QString::fromLatin1(path), ConfigType::Boolean);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(field(c));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) {
        field(c) = v.toBool();
        return QString();
    };
    return key;
}

template <typename Field>
ConfigKey stringKey(const char* path, double minimumLength, double maximumLength, Field field)
{
    ConfigKey key =
        makeKey(QString::fromLatin1(path), ConfigType::String, minimumLength, maximumLength);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(field(c));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) {
        field(c) = v.toString();
        return QString();
    };
    return key;
}

// A name from a fixed list, stored as the enum it names.
template <typename Field, typename Name, typename FromName>
ConfigKey choiceKey(const char* path, const QStringList& choices, Field field, Name name,
                    FromName fromName)
{
    ConfigKey key =
        makeKey(QString::fromLatin1(path), ConfigType::String, 1, kMaxConfigStringLength, choices);
    key.read = [field, name](const AppConfig& c) {
        return QJsonValue(name(field(c)));
    };
    key.write = [field, fromName](AppConfig& c, const QJsonValue& v) {
        field(c) = fromName(v.toString());
        return QString();
    };
    return key;
}

template <typename Enum> QStringList allNames(int count, QString (*name)(Enum))
{
    QStringList names;
    for (int i = 0; i < count; ++i)
        names.append(name(static_cast<Enum>(i)));
    return names;
}

// as they do on the command line; they print under their canonical names.
template <typename Field> ConfigKey faultKey(const char* path, Field field)
{
    ConfigKey key =
        makeKey(QString::fromLatin1(path), ConfigType::String, 1, kMaxConfigStringLength);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(faultModeName(field(c)));
    };
    key.write = [field](AppConfig& c, const QJsonValue& v) -> QString {
        const std::optional<FaultMode> mode = faultModeFromName(v.toString());
        if (!mode) {
            QStringList names;
            for (int i = 0; i < kFaultModeCount; ++i)
                names.append(faultModeName(static_cast<FaultMode>(i)));
            return QStringLiteral("must be a fault mode: %1")
                .arg(names.join(QLatin1StringView(", ")));
        }
        field(c) = *mode;
        return {};
    };
    return key;
}

// A URL with one of the schemes and a host, and no user name, password, query or fragment: the
// URL shows up in logs and the window, so it must not be where a secret hides.
inline QString checkConfigUrl(const QUrl& url, const QStringList& schemes)
{
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme()))
        return QStringLiteral("must be a %1 URL with a host")
            .arg(schemes.join(QStringLiteral(" or ")));
    if (!url.userInfo().isEmpty())
        return QStringLiteral(
            "must not hold a user name or password (they have keys of their own)");
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral("must not have a query or a fragment");
    return {};
}

// A URL as checkConfigUrl() wants it; empty turns the feature off when emptyTurnsOff.
template <typename Field>
ConfigKey urlKey(const char* path, QStringList schemes, bool emptyTurnsOff, Field field)
{
    ConfigKey key = makeKey(QString::fromLatin1(path), ConfigType::String, 0, 2048);
    key.read = [field](const AppConfig& c) {
        return QJsonValue(field(c).toString());
    };
    key.write = [field, schemes, emptyTurnsOff](AppConfig& c, const QJsonValue& v) -> QString {
        const QString text = v.toString();
        if (text.isEmpty()) {
            if (!emptyTurnsOff)
                return QStringLiteral("must not be empty");
            field(c) = QUrl();
            return {};
        }
        const QUrl url(text, QUrl::StrictMode);
        if (QString problem = checkConfigUrl(url, schemes); !problem.isEmpty())
            return problem;
        field(c) = url;
        return {};
    };
    return key;
}

// A secret: never echoed, masked when printed, and the mask itself refused as a value.
template <typename Field>
ConfigKey secretKey(const char* path, QLatin1StringView environmentVariable, Field field)
{
    ConfigKey key = stringKey(path, 0, kMaxConfigStringLength, field);
    key.secret = true;
    key.write = [field, environmentVariable](AppConfig& c, const QJsonValue& v) -> QString {
        if (v.toString() == kMaskedSecret)
            return QStringLiteral("holds the mask printed in place of the secret; put the real "
                                  "one here or set %1")
                .arg(environmentVariable);
        field(c) = v.toString();
        return {};
    };
    return key;
}

// Keys whose values need more than a range check, or map onto the config less directly.
ConfigKey maxRetriesKey();
ConfigKey baseUrlKey();
ConfigKey apiKeyKey();
ConfigKey scriptsKey();

} // namespace breakwater

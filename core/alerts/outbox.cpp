#include "outbox.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace breakwater {

namespace {

// An outbox file is a few kilobytes; anything much larger is not one of ours.
constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

QString fileNameOf(const QString& id)
{
    return id + QStringLiteral(".json");
}

// Ids are generated here (UUIDs); a name that is not one is not ours to read.
bool isDeliveryId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

std::optional<Delivery> parseDelivery(const QByteArray& bytes, QString* error)
{
    QJsonParseError parseError;
    const QJsonObject object = QJsonDocument::fromJson(bytes, &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        *error = parseError.errorString();
        return std::nullopt;
    }
    Delivery delivery;
    delivery.id = object.value(QStringLiteral("id")).toString();
    delivery.channel = object.value(QStringLiteral("channel")).toString();
    delivery.attempts = object.value(QStringLiteral("attempts")).toInt();
    const QDateTime queued = QDateTime::fromString(
        object.value(QStringLiteral("queued_at")).toString(), Qt::ISODateWithMs);
    if (!isDeliveryId(delivery.id) || delivery.channel.isEmpty() || !queued.isValid()) {
        *error = QStringLiteral("no id, channel or queued_at");
        return std::nullopt;
    }
    delivery.queuedAt = WallTime(std::chrono::milliseconds(queued.toMSecsSinceEpoch()));
    std::optional<Notification> notification =
        notificationFromPayload(object.value(QStringLiteral("payload")).toObject(), error);
    if (!notification)
        return std::nullopt;
    notification->createdAt = delivery.queuedAt;
    delivery.notification = std::move(*notification);
    return delivery;
}

} // namespace

Outbox::Outbox(QString directory)
    : m_directory(std::move(directory))
{}

QString Outbox::pathOf(const QString& id) const
{
    return QDir(m_directory).filePath(fileNameOf(id));
}

QString Outbox::open() const
{
    if (!QDir().mkpath(m_directory))
        return QStringLiteral("cannot create the alert outbox %1")
            .arg(QDir::toNativeSeparators(m_directory));
    return {};
}

QString Outbox::store(const Delivery& delivery) const
{
    const QJsonObject object{
        {QStringLiteral("id"), delivery.id},
        {QStringLiteral("channel"), delivery.channel},
        {QStringLiteral("queued_at"), rfc3339(delivery.queuedAt)},
        {QStringLiteral("attempts"), delivery.attempts},
        {QStringLiteral("payload"), alertmanagerPayload(delivery.notification)},
    };
    QSaveFile file(pathOf(delivery.id));
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(QJsonDocument(object).toJson(QJsonDocument::Compact));
    if (!file.commit())
        return file.errorString();
    return {};
}

void Outbox::remove(const Delivery& delivery) const
{
    QFile::remove(pathOf(delivery.id));
}

std::vector<Delivery> Outbox::load(QStringList* problems) const
{
    std::vector<Delivery> deliveries;
    const QDir dir(m_directory);
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : names) {
        const QString path = dir.filePath(name);
        QFile file(path);
        QString error;
        std::optional<Delivery> delivery;
        if (file.size() > kMaxFileBytes)
            error = QStringLiteral("larger than an outbox file can be");
        else if (!file.open(QIODevice::ReadOnly))
            error = file.errorString();
        else
            delivery = parseDelivery(file.readAll(), &error);
        file.close();
        if (delivery && fileNameOf(delivery->id) != name) {
            delivery.reset();
            error = QStringLiteral("its id does not match its name");
        }
        if (!delivery) {
            QFile::rename(path, path + QStringLiteral(".unreadable"));
            if (problems)
                problems->append(QStringLiteral("%1: %2 (kept as %1.unreadable)")
                                     .arg(QDir::toNativeSeparators(path), error));
            continue;
        }
        deliveries.push_back(std::move(*delivery));
    }
    std::stable_sort(deliveries.begin(), deliveries.end(),
                     [](const Delivery& a, const Delivery& b) { return a.queuedAt < b.queuedAt; });
    return deliveries;
}

} // namespace breakwater

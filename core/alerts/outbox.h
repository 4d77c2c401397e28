#pragma once

#include "delivery.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace breakwater {

// Deliveries not yet done, on disk: one small JSON file per delivery in a directory of their own
// (<log-dir>/alert-outbox), written whole before a channel first tries it and removed once it is
// delivered or refused for good. An alert raised while a channel is down, or just before the
// program stops, is therefore still there to deliver when the channel or the program is back;
// and the delivery keeps its id, so a receiver can tell a resend from a new message.
//
// Each method touches only its delivery's file, so the alert thread and the channel threads may
// call it at once.
class Outbox final
{
public:
    explicit Outbox(QString directory);

    const QString& directory() const noexcept { return m_directory; }

    // Creates the directory. Returns why not.
    [[nodiscard]] QString open() const;
    // Writes (or rewrites, after an attempt) the delivery's file, atomically. Returns why not.
    [[nodiscard]] QString store(const Delivery& delivery) const;
    void remove(const Delivery& delivery) const;
    // What a previous run left, oldest first. A file that cannot be read is moved aside to
    // "<name>.unreadable" (never deleted: it may be an alert) and named in problems.
    std::vector<Delivery> load(QStringList* problems) const;

private:
    QString pathOf(const QString& id) const;

    QString m_directory;
};

} // namespace breakwater

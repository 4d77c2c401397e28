#pragma once

#include <QObject>

class QSocketNotifier;

namespace breakwater {

// Turns SIGINT and SIGTERM into a Qt signal on the event loop, so Ctrl-C ends the agent cleanly
// (calls ended, log flushed) instead of killing it mid-write. One per process.
class SignalWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void interrupted(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace breakwater

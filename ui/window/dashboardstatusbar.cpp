#include "dashboardstatusbar.h"

#include "session/dashboardsession.h"

#include <QLabel>

namespace breakwater {

DashboardStatusBar::DashboardStatusBar(QWidget* parent)
    : QStatusBar(parent)
{
    m_endpoint = new QLabel(this);
    m_endpoint->setObjectName(QStringLiteral("statusEndpoint"));
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rate = new QLabel(this);
    m_rate->setObjectName(QStringLiteral("statusRate"));
    m_dropped = new QLabel(this);
    m_dropped->setObjectName(QStringLiteral("statusDropped"));
    m_logFile = new QLabel(this);
    m_logFile->setObjectName(QStringLiteral("statusLogFile"));
    m_logFile->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metrics = new QLabel(this);
    m_metrics->setObjectName(QStringLiteral("statusMetrics"));
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addWidget(m_endpoint);
    addWidget(m_logFile, 1);
    addWidget(m_metrics);
    addPermanentWidget(m_rate);
    addPermanentWidget(m_dropped);
}

void DashboardStatusBar::showEndpoint(const QUrl& url, bool simulator)
{
    // No user info or query: neither ever carries anything an operator needs to see here.
    const QString where = url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    m_endpoint->setText(where.isEmpty() ? tr("Stopped")
                        : simulator     ? tr("ElevenLabs simulator at %1").arg(where)
                                        : tr("ElevenLabs at %1").arg(where));
}

void DashboardStatusBar::showLogFile(const QString& path)
{
    m_logFile->setText(path.isEmpty() ? QString() : tr("Log: %1").arg(path));
}

void DashboardStatusBar::showMetricsUrl(const QUrl& url)
{
    m_metrics->setText(url.isEmpty() ? QString() : tr("Metrics: %1").arg(url.toString()));
}

void DashboardStatusBar::showCounters(const SessionCounters& counters, std::uint64_t eventsShown)
{
    const auto now = std::chrono::steady_clock::now();
    if (m_lastAt != std::chrono::steady_clock::time_point{} && eventsShown >= m_lastShown) {
        const double seconds = std::chrono::duration<double>(now - m_lastAt).count();
        const double rate = seconds > 0 ? double(eventsShown - m_lastShown) / seconds : 0.0;
        m_rate->setText(tr("%1 events/s").arg(rate, 0, 'f', 0));
    }
    m_lastShown = eventsShown;
    m_lastAt = now;

    const std::uint64_t lost =
        counters.streamDropped + counters.windowDropped + counters.logDropped;
    m_dropped->setText(tr("Dropped: stream %1 · window %2 · log %3")
                           .arg(counters.streamDropped)
                           .arg(counters.windowDropped)
                           .arg(counters.logDropped));
    m_dropped->setToolTip(
        tr("%1 events published this run. The window only drops what it could not keep up "
           "with; app.log still has it. Log write errors: %2.")
            .arg(counters.eventsPublished)
            .arg(counters.logWriteErrors));
    // Words carry the meaning; the colour only draws the eye.
    m_dropped->setStyleSheet(lost ? QStringLiteral("QLabel { color: #c62828; font-weight: bold; }")
                                  : QString());
}

} // namespace breakwater

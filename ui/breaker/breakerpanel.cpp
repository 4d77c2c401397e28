#include "breakerpanel.h"

#include "theme/contrast.h"
#include "theme/statuscolors.h"

#include <QDateTime>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

#include <cmath>

namespace breakwater {
namespace {

QString percent(double value)
{
    return QString::number(value, 'f', 1) + QLatin1Char('%');
}

QString threshold(double value)
{
    return value > 0.0 ? QStringLiteral("threshold ") + percent(value) : QStringLiteral("off");
}

QString clockTime(WallTime at)
{
    return QDateTime::fromMSecsSinceEpoch(
               std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count())
        .toLocalTime()
        .time()
        .toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

BreakerPanel::BreakerPanel(const QString& service, QWidget* parent)
    : QGroupBox(service, parent)
    , m_state(service)
{
    setObjectName(QStringLiteral("breakerPanel.") + service);
    auto* layout = new QVBoxLayout(this);

    m_badge = new QLabel(this);
    m_badge->setObjectName(QStringLiteral("breakerState"));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setMargin(6);
    QFont badgeFont = m_badge->font();
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 1.5);
    m_badge->setFont(badgeFont);
    m_badge->setAccessibleName(tr("Breaker state"));
    layout->addWidget(m_badge);

    m_why = new QLabel(this);
    m_why->setObjectName(QStringLiteral("breakerWhy"));
    m_why->setWordWrap(true);
    m_why->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_why);

    m_form = new QFormLayout;
    m_windowTitle = new QLabel(this);
    m_form->addRow(m_windowTitle);
    m_calls = addRow(tr("Calls"), QStringLiteral("breakerCalls"));
    m_failures = addRow(tr("Failures"), QStringLiteral("breakerFailures"));
    m_failureRateBar = new QProgressBar(this);
    m_failureRateBar->setRange(0, 1000);
    m_failureRateBar->setTextVisible(false);
    m_failureRateBar->setMaximumHeight(8);
    m_failureRate = addRow(tr("Failure rate"), QStringLiteral("breakerFailureRate"));
    m_form->addRow(QString(), m_failureRateBar);
    m_slowRate = addRow(tr("Slow-call rate"), QStringLiteral("breakerSlowRate"));
    m_consecutive = addRow(tr("Failures in a row"), QStringLiteral("breakerConsecutive"));
    m_nextAttempt = addRow(tr("Next half-open trial"), QStringLiteral("breakerNextAttempt"));
    m_trialsLeft = addRow(tr("Trial calls left"), QStringLiteral("breakerTrialsLeft"));
    m_skipped = addRow(tr("Skipped while open"), QStringLiteral("breakerSkipped"));
    layout->addLayout(m_form);

    auto* buttons = new QHBoxLayout;
    m_forceOpen = new QPushButton(tr("Force open"), this);
    m_forceOpen->setToolTip(tr("Stop all calls to %1 until reset").arg(service));
    m_reset = new QPushButton(tr("Reset"), this);
    m_reset->setToolTip(tr("Force the breaker closed with an empty window"));
    m_disable = new QPushButton(tr("Disable"), this);
    m_disable->setToolTip(tr("Let every call through and stop judging them"));
    for (QPushButton* button : {m_forceOpen, m_reset, m_disable})
        buttons->addWidget(button);
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_forceOpen, &QPushButton::clicked, this, &BreakerPanel::forceOpenRequested);
    connect(m_reset, &QPushButton::clicked, this, &BreakerPanel::resetRequested);
    connect(m_disable, &QPushButton::clicked, this, &BreakerPanel::disableRequested);

    showState();
    showStatus(std::nullopt, std::nullopt, std::chrono::system_clock::now());
}

QLabel* BreakerPanel::addRow(const QString& title, const QString& objectName)
{
    auto* value = new QLabel(this);
    value->setObjectName(objectName);
    m_form->addRow(title + QLatin1Char(':'), value);
    return value;
}

void BreakerPanel::appendEvents(std::span<const Event> events)
{
    const BreakerState before = m_state.state();
    const std::uint64_t transitions = m_state.transitions();
    m_state.appendEvents(events);
    if (m_state.state() != before || m_state.transitions() != transitions)
        showState();
}

QString BreakerPanel::stateText() const
{
    return m_badge->text();
}

void BreakerPanel::showState()
{
    const BreakerState state = m_state.state();
    const QColor background = breakerStateColor(state, palette());
    m_badge->setText(breakerStateLabel(state));
    m_badge->setStyleSheet(QStringLiteral("QLabel { background-color: %1; color: %2; "
                                          "border-radius: 4px; }")
                               .arg(background.name(), textColorOn(background).name()));
    if (const auto at = m_state.lastTransitionAt()) {
        const QString from =
            m_state.lastTransitionFrom()
                ? breakerStateLabel(*m_state.lastTransitionFrom()).toLower() + QStringLiteral(" → ")
                : QString();
        m_why->setText(tr("Why: %1%2 at %3: %4")
                           .arg(from, breakerStateLabel(state).toLower(), clockTime(*at),
                                m_state.lastTransitionWhy()));
    } else {
        m_why->setText(tr("Why: no transition yet; calls flow while it is closed."));
    }
    const bool running = isEnabled();
    m_forceOpen->setEnabled(running && state != BreakerState::ForcedOpen);
    m_disable->setEnabled(running && state != BreakerState::Disabled);
}

void BreakerPanel::showStatus(const std::optional<BreakerStatus>& status,
                              const std::optional<BreakerConfig>& config, WallTime now)
{
    const QString none = QStringLiteral("—");
    if (!status || !config) {
        m_windowTitle->setText(tr("<i>Pipeline stopped</i>"));
        for (QLabel* label :
             {m_calls, m_failures, m_failureRate, m_slowRate, m_consecutive, m_trialsLeft})
            label->setText(none);
        m_failureRateBar->setValue(0);
    } else {
        const WindowCounts& w = status->window;
        m_windowTitle->setText(config->windowKind == WindowKind::Count
                                   ? tr("<b>Window: the last %1 calls</b>").arg(config->windowSize)
                                   : tr("<b>Window: the last %1 s</b>").arg(config->windowSize));
        m_calls->setText(tr("%1 (judged from %2)").arg(w.calls).arg(config->minimumCalls));
        m_failures->setText(QString::number(w.failures));
        m_failureRate->setText(percent(w.failureRate()) + QStringLiteral(" (") +
                               threshold(config->failureRateThreshold) + QLatin1Char(')'));
        m_failureRateBar->setValue(int(std::lround(w.failureRate() * 10)));
        m_slowRate->setText(percent(w.slowCallRate()) + QStringLiteral(" (") +
                            threshold(config->slowCallRateThreshold) + QLatin1Char(')'));
        m_consecutive->setText(
            config->consecutiveFailures > 0
                ? tr("%1 of %2").arg(status->consecutiveFailures).arg(config->consecutiveFailures)
                : QString::number(status->consecutiveFailures));
        m_trialsLeft->setText(
            status->state == BreakerState::HalfOpen
                ? tr("%1 of %2").arg(status->halfOpenPermitsLeft).arg(config->halfOpenPermits)
                : none);
    }
    if (const auto due = m_state.halfOpenDueAt(); due && m_state.state() == BreakerState::Open) {
        const double seconds = std::chrono::duration<double>(*due - now).count();
        m_nextAttempt->setText(seconds > 0 ? tr("in %1 s").arg(seconds, 0, 'f', 1)
                                           : tr("due now (waiting for a healthy probe)"));
    } else {
        m_nextAttempt->setText(none);
    }
    m_skipped->setText(rejectsCalls(m_state.state()) || m_state.skippedSinceOpen() > 0
                           ? QString::number(m_state.skippedSinceOpen())
                           : none);
}

void BreakerPanel::changeEvent(QEvent* event)
{
    QGroupBox::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::EnabledChange)
        showState();
}

} // namespace breakwater

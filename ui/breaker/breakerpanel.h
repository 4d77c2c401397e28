#pragma once

#include "breaker/breakerconfig.h"
#include "breaker/circuitbreaker.h"
#include "breakerpanelstate.h"

#include <QGroupBox>

#include <optional>

class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace breakwater {

// One service's circuit breaker at a glance, in the spirit of a Hystrix dashboard tile: the state
// in words and colour, the window it judges by against its thresholds, when it tries half-open
// again, how many trial calls are left, and why it last moved; with the operator's buttons.
// The state comes from the event stream; the window's live counters from the breaker's status,
// which any thread may read.
class BreakerPanel final : public QGroupBox
{
    Q_OBJECT

public:
    explicit BreakerPanel(const QString& service, QWidget* parent = nullptr);

    void appendEvents(std::span<const Event> events);
    // The breaker's counters and thresholds (nullopt while the pipeline is stopped) and the time
    // to count down from. Called a few times a second.
    void showStatus(const std::optional<BreakerStatus>& status,
                    const std::optional<BreakerConfig>& config, WallTime now);

    const BreakerPanelState& state() const noexcept { return m_state; }
    // The state as the panel shows it ("OPEN"), for tests and accessibility.
    QString stateText() const;

Q_SIGNALS:
    void forceOpenRequested();
    void resetRequested();
    void disableRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void showState();
    QLabel* addRow(const QString& title, const QString& objectName);

    BreakerPanelState m_state;
    QLabel* m_badge = nullptr;
    QLabel* m_why = nullptr;
    QLabel* m_windowTitle = nullptr;
    QLabel* m_calls = nullptr;
    QLabel* m_failures = nullptr;
    QProgressBar* m_failureRateBar = nullptr;
    QLabel* m_failureRate = nullptr;
    QLabel* m_slowRate = nullptr;
    QLabel* m_consecutive = nullptr;
    QLabel* m_nextAttempt = nullptr;
    QLabel* m_trialsLeft = nullptr;
    QLabel* m_skipped = nullptr;
    QPushButton* m_forceOpen = nullptr;
    QPushButton* m_reset = nullptr;
    QPushButton* m_disable = nullptr;
    QFormLayout* m_form = nullptr;
};

} // namespace breakwater

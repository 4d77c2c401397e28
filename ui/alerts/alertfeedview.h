#pragma once

#include "alerts/silence.h"
#include "events/event.h"

#include <QWidget>

#include <span>
#include <vector>

class QLabel;
class QTableView;
class QToolButton;

namespace breakwater {

class AlertFeedModel;

// The alert feed: newest alert on top, resolved ones marked "✓ resolved" and muted, a count of
// what is firing now, and below the table everything about the selected alert (what fired, when,
// how it resolved, what each channel said), so that a narrow dock still tells the whole story.
class AlertFeedView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertFeedView)

public:
    explicit AlertFeedView(QWidget* parent = nullptr);
    ~AlertFeedView() override;

    // GUI thread, a batch from EventBridge::eventsArrived.
    void appendEvents(std::span<const Event> events);

    AlertFeedModel* model() const noexcept { return m_model; }
    QTableView* table() const noexcept { return m_table; }
    QString countText() const;
    QString detailsText() const;
    QString silencesText() const;
    QToolButton* silenceButton() const noexcept { return m_silence; }
    QToolButton* unsilenceButton() const noexcept { return m_unsilence; }

    // The silences in force, to list them and to offer "Unsilence" for a silenced alert.
    void showSilences(const std::vector<Silence>& silences);

Q_SIGNALS:
    // The operator mutes the selected alert's rule on its service; 0 ms: until Breakwater stops.
    void silenceRequested(const QString& rule, const QString& service, qint64 durationMs);
    void unsilenceRequested(const QString& rule, const QString& service);

private:
    void updateCount();
    void updateDetails();
    void updateSilenceButtons();
    QWidget* buildSilenceRow();

    AlertFeedModel* m_model = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_details = nullptr;
    QToolButton* m_silence = nullptr;
    QToolButton* m_unsilence = nullptr;
    QLabel* m_silences = nullptr;
    std::vector<Silence> m_activeSilences;
};

} // namespace breakwater

#pragma once

#include "events/event.h"

#include <QWidget>

#include <span>

class QLabel;
class QTableView;

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

private:
    void updateCount();
    void updateDetails();

    AlertFeedModel* m_model = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_details = nullptr;
};

} // namespace breakwater

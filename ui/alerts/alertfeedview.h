#pragma once

#include "events/event.h"

#include <QWidget>

#include <span>

class QLabel;
class QTableView;

namespace breakwater {

class AlertFeedModel;

// The alert feed: newest alert on top, resolved ones marked "✓ resolved" and muted, and a count
// of what is firing now.
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

private:
    void updateCount();

    AlertFeedModel* m_model = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
};

} // namespace breakwater

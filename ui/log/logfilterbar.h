#pragma once

#include <QTimer>
#include <QWidget>

#include <chrono>

class QComboBox;
class QLineEdit;

namespace breakwater {

class LogFilterProxy;
class LogTableModel;

// The log tab's filter controls, driving a LogFilterProxy: minimum level, event type, service
// (the services the model has seen) and a search field applied after a short pause in typing,
// so a million rows are not filtered again at every keystroke.
class LogFilterBar final : public QWidget
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kSearchDelay{250};

    LogFilterBar(LogTableModel* model, LogFilterProxy* proxy, QWidget* parent = nullptr);
    Q_DISABLE_COPY_MOVE(LogFilterBar)

    // Applies typed text now rather than after the pause.
    void applySearchNow();

private:
    void fillLevels();
    void fillEventTypes();
    void fillServices();
    void addService(const QString& service);
    void applyService();

    LogTableModel* const m_model;
    LogFilterProxy* const m_proxy;
    QComboBox* m_level;
    QComboBox* m_eventType;
    QComboBox* m_service;
    QLineEdit* m_search;
    QTimer m_searchDelay;
};

} // namespace breakwater

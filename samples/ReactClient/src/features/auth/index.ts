export { LoginForm } from './components/login-form';
export { UserBar } from './components/user-bar';
export { useTokenRefresh } from './hooks/use-token-refresh';
export { login, refreshToken, type Session, type RefreshedToken } from './api/session';

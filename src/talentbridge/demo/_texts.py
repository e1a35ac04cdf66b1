"""Titles, project topics and sentence templates for openings and résumés."""

from __future__ import annotations

__all__ = ["PROJECT_TOPICS", "JOB_TITLE_TEMPLATES", "TEAMS", "SENIORITY_KO", "SENIORITY_EN", "DEGREE_KO"]

#: role key → project topics (PBL, joint R&D, secondment work).
PROJECT_TOPICS: dict[str, list[str]] = {
    "ml": ["수요 예측 모델 고도화", "추천 시스템 개선", "가격 최적화 모델 개발", "이상 거래 탐지 모델 개발"],
    "cv": ["자율주행 인지 모델 경량화", "CCTV 영상 기반 안전사고 감지", "물류 박스 인식 모델 개발", "의료 영상 판독 보조 모델"],
    "nlp": ["한국어 LLM 기반 사내 문서 검색(RAG)", "고객 상담 자동 요약", "특허 문서 분류 모델", "제조 매뉴얼 QA 챗봇"],
    "ds": ["고객 이탈 예측 분석", "생산 계획 데이터 분석", "마케팅 효과 측정(A/B 테스트)", "에너지 사용량 분석"],
    "mlops": ["모델 배포 파이프라인 자동화", "GPU 클러스터 학습 환경 구축", "모델 모니터링 체계 구축"],
    "de": ["공장 설비 데이터 수집 플랫폼 구축", "실시간 센서 데이터 파이프라인", "데이터 레이크 구축"],
    "research": ["멀티모달 파운데이션 모델 연구", "강화학습 기반 공정 제어 연구", "생성 모델 기반 소재 탐색", "시계열 파운데이션 모델 연구"],
    "factory": ["프레스 설비 예지보전 모델 개발", "사출 성형 품질 예측", "용광로 온도 예측 모델", "조선 용접 공정 이상 탐지", "2차전지 공정 불량 예측"],
    "inspection": ["용접 비드 외관 불량 검출", "PCB 납땜 불량 검사 자동화", "배터리 셀 외관 검사", "도장 표면 결함 검출", "디스플레이 패널 얼룩 검사"],
    "robotics": ["협동로봇 빈 피킹 시스템 개발", "물류 AMR 경로 계획", "용접 로봇 경로 자동 생성", "휴머노이드 보행 제어"],
    "edge": ["NPU 기반 온디바이스 추론 최적화", "엣지 카메라 객체 검출 경량화", "차량용 음성 인식 경량화"],
    "backend": ["AI 추론 API 서버 구축", "모델 서빙 플랫폼 개발", "데이터 라벨링 플랫폼 개발"],
    "process": ["사출 공정 불량률 개선", "열처리 공정 조건 최적화", "반도체 수율 분석"],
    "semi": ["웨이퍼 맵 불량 패턴 분류", "가상 계측(VM) 모델 개발", "FDC 이상 감지 고도화"],
    "pm": ["제조 AI 솔루션 PoC 기획", "생성형 AI 서비스 기획", "AI 바우처 사업 수행 관리"],
}  # fmt: skip

#: job titles; {role} is the Korean role label.
JOB_TITLE_TEMPLATES: list[str] = [
    "{role} 채용",
    "{role} (경력 {years}년 이상)",
    "[{team}] {role}",
    "{role} 신입/경력 채용",
    "시니어 {role}",
    "{role} ({team})",
]
TEAMS: list[str] = [
    "AI Lab",
    "비전팀",
    "데이터플랫폼팀",
    "스마트팩토리추진단",
    "AI연구소",
    "LLM팀",
    "품질혁신팀",
    "DX추진실",
]

SENIORITY_KO: list[str] = ["", "선임 ", "책임 ", "수석 "]
SENIORITY_EN: list[str] = ["", "Senior ", "Lead ", "Principal "]

DEGREE_KO: dict[str, str] = {
    "high_school": "고등학교",
    "associate": "전문학사",
    "bachelor": "학사",
    "master": "석사",
    "doctorate": "박사",
}
